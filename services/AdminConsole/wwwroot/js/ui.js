import { el, replace } from './dom.js';

/** An error as a message with its errors by path (a problem's validation errors, say), for a page or a form. */
export function errorBox(error) {
  const items = error.errors ?? [];
  return el('div', { class: 'error', attrs: { role: 'alert' } },
    el('strong', {}, error.title ?? 'Something went wrong'),
    el('p', {}, error.message),
    items.length ? el('ul', {}, items.map(([path, message]) => el('li', {}, el('code', {}, path), ' ', message))) : null);
}

/** Runs an action from a button, showing its error in `target`; the button is disabled meanwhile. */
export async function act(button, target, action) {
  button.disabled = true;
  replace(target);
  try {
    await action();
  } catch (error) {
    replace(target, errorBox(error));
  } finally {
    button.disabled = false;
  }
}

/** A modal question; resolves true when the person confirms. */
export function confirmDialog(question, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const dialog = el('dialog', { class: 'confirm' },
      el('p', {}, question),
      el('div', { class: 'actions' },
        el('button', { attrs: { type: 'button' }, onclick: () => close(false) }, 'Cancel'),
        el('button', { class: 'danger', attrs: { type: 'button' }, onclick: () => close(true) }, confirmLabel)));
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A secret shown once, with a copy button; it is not kept anywhere after the panel goes. */
export function secretPanel(title, secret, note) {
  const copy = el('button', { attrs: { type: 'button' }, onclick: async () => {
    await navigator.clipboard?.writeText(secret);
    copy.textContent = 'Copied';
  } }, 'Copy');
  return el('div', { class: 'secret', attrs: { role: 'status' } },
    el('strong', {}, title),
    el('p', {}, note),
    el('code', { class: 'write-key' }, secret), ' ', copy);
}

export const pageTitle = (text, ...extra) => el('div', { class: 'page-title' }, el('h1', {}, text), ...extra);
