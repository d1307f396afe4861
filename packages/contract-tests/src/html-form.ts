import { parse, type HTMLElement } from 'node-html-parser';

/** A form as a browser would submit it: where, how, and the successful controls' name/value pairs. */
export interface FormSubmission {
  method: 'GET' | 'POST';
  action: URL;
  fields: Array<[name: string, value: string]>;
}

/** The `id`, `name` and control names of a form, for reports (never its values). */
export interface FormOutline {
  id?: string;
  method: 'GET' | 'POST';
  controls: string[];
}

/** A radio or checkbox on a page, with the text of its label. */
export interface FormChoice {
  type: 'radio' | 'checkbox';
  name: string;
  value: string;
  checked: boolean;
  label: string;
}

/** A parsed HTML page. */
export type HtmlPage = HTMLElement;

/** Parses an HTML document. */
export function parseHtml(html: string): HtmlPage {
  return parse(html, { comment: false });
}

/** The page's first form matching `selector` (default: any form). */
export function findForm(page: HtmlPage, selector = 'form'): HTMLElement | undefined {
  return page.querySelector(selector) ?? undefined;
}

function formMethod(form: HTMLElement): 'GET' | 'POST' {
  return form.getAttribute('method')?.toUpperCase() === 'POST' ? 'POST' : 'GET';
}

function controls(form: HTMLElement): HTMLElement[] {
  return form.querySelectorAll('input, select, textarea, button');
}

function isSubmitter(control: HTMLElement): boolean {
  const type = (control.getAttribute('type') ?? '').toLowerCase();
  if (control.tagName === 'BUTTON') return type === '' || type === 'submit';
  return control.tagName === 'INPUT' && (type === 'submit' || type === 'image');
}

/** The outline of a form, for reports. */
export function outlineForm(form: HTMLElement): FormOutline {
  const names = controls(form)
    .map((control) => control.getAttribute('name'))
    .filter((name): name is string => name !== undefined && name !== '');
  const id = form.getAttribute('id');
  return {
    ...(id ? { id } : {}),
    method: formMethod(form),
    controls: [...new Set(names)],
  };
}

/** Every radio and checkbox of a form, with its label text (`<label for>` or an enclosing label). */
export function formChoices(page: HtmlPage, form: HTMLElement): FormChoice[] {
  return form.querySelectorAll('input').flatMap((input) => {
    const type = (input.getAttribute('type') ?? '').toLowerCase();
    const name = input.getAttribute('name');
    if ((type !== 'radio' && type !== 'checkbox') || !name) return [];
    const id = input.getAttribute('id');
    const label = id ? page.querySelector(`label[for="${id}"]`) : null;
    return [
      {
        type: type as FormChoice['type'],
        name,
        value: input.getAttribute('value') ?? 'on',
        checked: input.hasAttribute('checked'),
        label: (label?.text ?? input.parentNode?.text ?? '').replace(/\s+/g, ' ').trim(),
      },
    ];
  });
}

/** Options of {@link submitForm}. */
export interface SubmitOptions {
  /** Values for text-like controls, by name (e.g. `username`, `password`). */
  values?: Record<string, string>;
  /** Radios to select, by name and value; the other radios of that name are unchecked. */
  radios?: Record<string, string>;
  /** The submit control to press, as a CSS selector; default: the first submitter not named cancel/deny. */
  submitter?: string;
}

/**
 * What pressing a form's submit button sends: hidden inputs and defaults as the page has them,
 * checked radios/checkboxes, selected options, the given overrides, and the pressed button's
 * own name/value (Keycloak tells `accept` from `cancel` by it).
 * @see https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#constructing-form-data-set
 */
export function submitForm(
  form: HTMLElement,
  pageUrl: URL,
  options: SubmitOptions = {},
): FormSubmission {
  const values = options.values ?? {};
  const radios = options.radios ?? {};
  const fields: Array<[string, string]> = [];
  const pressed = options.submitter
    ? form.querySelector(options.submitter)
    : controls(form).find(
        (control) =>
          isSubmitter(control) &&
          !/^(cancel|deny|reject)$/i.test(control.getAttribute('name') ?? ''),
      );

  for (const control of controls(form)) {
    const name = control.getAttribute('name');
    if (!name || control.hasAttribute('disabled')) continue;
    if (isSubmitter(control)) {
      if (control === pressed) fields.push([name, control.getAttribute('value') ?? '']);
      continue;
    }
    const type = (control.getAttribute('type') ?? '').toLowerCase();
    if (control.tagName === 'SELECT') {
      const option =
        control.querySelector('option[selected]') ?? control.querySelector('option') ?? undefined;
      if (option) fields.push([name, values[name] ?? option.getAttribute('value') ?? option.text]);
    } else if (control.tagName === 'TEXTAREA') {
      fields.push([name, values[name] ?? control.text]);
    } else if (type === 'radio') {
      const value = control.getAttribute('value') ?? 'on';
      const wanted = radios[name];
      if (wanted === undefined ? control.hasAttribute('checked') : wanted === value) {
        fields.push([name, value]);
      }
    } else if (type === 'checkbox') {
      if (control.hasAttribute('checked'))
        fields.push([name, control.getAttribute('value') ?? 'on']);
    } else if (type !== 'reset' && type !== 'button' && type !== 'file') {
      fields.push([name, values[name] ?? control.getAttribute('value') ?? '']);
    }
  }

  const formAction = pressed?.getAttribute('formaction') || form.getAttribute('action') || '';
  return { method: formMethod(form), action: new URL(formAction, pageUrl), fields };
}

/**
 * The error message a Keycloak page shows, if any: the field error under the login form
 * (`#input-error`), the feedback banner (`.kc-feedback-text`), or the error page (`#kc-error-message`).
 * @see https://github.com/keycloak/keycloak/blob/main/themes/src/main/resources/theme/base/login/template.ftl
 */
export function pageErrorMessage(page: HtmlPage): string | undefined {
  const candidates = [
    '#input-error',
    '#kc-error-message',
    '.alert-error .kc-feedback-text',
    '.pf-m-danger .kc-feedback-text',
  ];
  for (const selector of candidates) {
    const text = page.querySelector(selector)?.text.replace(/\s+/g, ' ').trim();
    if (text) return text;
  }
  return undefined;
}
