import { el, replace } from '../dom.js';
import { signIn } from '../api.js';
import { errorBox } from '../ui.js';

/** The admin-token form, and the provider's button when OIDC sign-in is configured. */
export function renderSignIn(main, session, onSignedIn) {
  const token = el('input', { attrs: { type: 'password', name: 'token', autocomplete: 'current-password', required: true, 'aria-label': 'Admin token' } });
  const message = el('div');
  const submit = el('button', { class: 'primary', attrs: { type: 'submit' } }, 'Sign in');
  const form = el('form', { class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    replace(message);
    try {
      await signIn(token.value);
      await onSignedIn();
    } catch (error) {
      replace(message, errorBox(error));
      submit.disabled = false;
    }
  } },
  el('h1', {}, 'Sign in'),
  el('label', {}, 'Admin token', token),
  submit,
  message,
  session.oidc ? el('p', {}, el('a', { class: 'button', attrs: { href: '/console/sign-in/oidc' } }, 'Sign in with your identity provider')) : null);
  replace(main, form);
  token.focus();
}
