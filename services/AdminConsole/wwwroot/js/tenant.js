// The tenant the pages show, kept in the browser between visits; the admin token reaches every tenant.
const KEY = 'console.tenant';
let current = '';

export const tenant = () => current;

export function initTenant(defaultTenant) {
  current = localStorage.getItem(KEY) || defaultTenant;
}

export function setTenant(value) {
  current = value;
  localStorage.setItem(KEY, value);
}
