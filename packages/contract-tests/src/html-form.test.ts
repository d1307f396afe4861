import { describe, expect, test } from 'vitest';
import {
  findForm,
  formChoices,
  outlineForm,
  pageErrorMessage,
  parseHtml,
  submitForm,
} from './html-form.js';

const PAGE_URL = new URL('https://idp.example.test/auth/realms/nextgen/login-actions/authenticate');

function form(html: string) {
  const page = parseHtml(html);
  const element = findForm(page);
  if (!element) throw new Error('no form in fixture');
  return { page, element };
}

describe('submitForm', () => {
  test('resolves a relative action against the page URL and decodes entities', () => {
    const { element } = form('<form method="post" action="consent?a=1&amp;b=2"></form>');
    expect(submitForm(element, PAGE_URL).action.href).toBe(
      'https://idp.example.test/auth/realms/nextgen/login-actions/consent?a=1&b=2',
    );
  });

  test('defaults to GET and the page URL when the form has no method or action', () => {
    const { element } = form('<form><input name="q" value="x"></form>');
    const submission = submitForm(element, PAGE_URL);
    expect(submission.method).toBe('GET');
    expect(submission.action.href).toBe(PAGE_URL.href);
  });

  test('sends checked boxes, selected options and textareas, and skips disabled controls', () => {
    const { element } = form(`<form method="post">
      <input type="checkbox" name="c" value="1" checked><input type="checkbox" name="c" value="2">
      <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
      <textarea name="t">note</textarea><input name="d" value="x" disabled></form>`);
    expect(submitForm(element, PAGE_URL).fields).toEqual([
      ['c', '1'],
      ['s', 'b'],
      ['t', 'note'],
    ]);
  });

  test('selects the requested radio and unchecks the pre-selected one', () => {
    const { element } = form(`<form method="post">
      <input type="radio" name="patient" value="1" checked><input type="radio" name="patient" value="2"></form>`);
    expect(submitForm(element, PAGE_URL, { radios: { patient: '2' } }).fields).toEqual([
      ['patient', '2'],
    ]);
  });

  test('sends only the pressed submit button, never cancel', () => {
    const { element } = form(`<form method="post">
      <input type="submit" name="cancel" value="No"><button name="accept" value="yes">Yes</button></form>`);
    expect(submitForm(element, PAGE_URL).fields).toEqual([['accept', 'yes']]);
  });
});

describe('outlineForm', () => {
  test('lists the form id, method and control names without values', () => {
    const { element } = form(
      '<form id="kc-form-login" method="post"><input name="username" value="DavidFHIR"><input name="password"></form>',
    );
    expect(outlineForm(element)).toEqual({
      id: 'kc-form-login',
      method: 'POST',
      controls: ['username', 'password'],
    });
  });
});

describe('formChoices', () => {
  test('labels each radio with its <label for> text', () => {
    const { page, element } = form(
      '<form><input type="radio" id="p1" name="patient" value="1" checked><label for="p1">Smith,  David</label></form>',
    );
    expect(formChoices(page, element)).toEqual([
      { type: 'radio', name: 'patient', value: '1', checked: true, label: 'Smith, David' },
    ]);
  });
});

describe('pageErrorMessage', () => {
  test("reads Keycloak's field error under the login form", () => {
    const page = parseHtml(
      '<span id="input-error" class="kc-feedback-text">Invalid username or password.</span>',
    );
    expect(pageErrorMessage(page)).toBe('Invalid username or password.');
  });

  test("reads the message of Keycloak's error page", () => {
    const page = parseHtml(
      '<div id="kc-error-message"><p class="instruction">Invalid parameter: redirect_uri</p></div>',
    );
    expect(pageErrorMessage(page)).toBe('Invalid parameter: redirect_uri');
  });

  test('ignores an informational feedback banner', () => {
    const page = parseHtml(
      '<div class="alert-info"><span class="kc-feedback-text">Please sign in.</span></div>',
    );
    expect(pageErrorMessage(page)).toBeUndefined();
  });
});
