/**
 * Form controls generated from a config table: one labelled input per URL-visible field, with
 * the field's help as tooltip and its allowed values as the input's constraints.
 */
import { describeField, fieldList, formatValue, parseValue, type FieldTable, type FieldValue } from '../core/config';
import { el } from './dom';

export interface ControlsOptions<C> {
  /** Field names to show, in this order (default: every URL-visible field). */
  only?: (keyof C & string)[];
  /** Friendly labels. */
  labels?: Partial<Record<keyof C & string, string>>;
  /** Element ids are `${idPrefix}-${field}`; unique per page (both tabs have a `ranks`). */
  idPrefix: string;
}

export class Controls<C> {
  readonly root: HTMLElement;
  private readonly inputs = new Map<keyof C & string, HTMLInputElement | HTMLSelectElement>();
  private readonly messages = new Map<keyof C & string, HTMLElement>();

  constructor(
    private readonly fields: FieldTable<C>,
    initial: C,
    private readonly onPatch: (patch: Partial<C>) => void,
    opts: ControlsOptions<C>,
  ) {
    this.root = el('div', { class: 'controls' });
    const list = fieldList(fields).filter((f) => !f.cliOnly && (!opts.only || opts.only.includes(f.name)));
    if (opts.only) list.sort((a, b) => opts.only!.indexOf(a.name) - opts.only!.indexOf(b.name));
    for (const f of list) {
      const id = `${opts.idPrefix}-${f.name}`;
      const value = initial[f.name] as FieldValue;
      let input: HTMLInputElement | HTMLSelectElement;
      if (f.kind === 'enum') {
        input = el('select', { id, name: f.name }, ...f.values.map((v) => el('option', { value: v }, v)));
        input.value = String(value);
      } else if (f.kind === 'bool') {
        input = el('input', { id, name: f.name, type: 'checkbox' });
        (input as HTMLInputElement).checked = Boolean(value);
      } else {
        input = el('input', { id, name: f.name, type: 'text', spellcheck: false });
        input.value = value === null ? '' : formatValue(f, value);
        input.placeholder = value === null ? 'unset' : '';
      }
      input.title = `${f.help} Allowed: ${describeField(f)}`;
      const msg = el('div', { class: 'field-error', role: 'alert' });
      input.addEventListener('change', () => {
        const raw = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value.trim();
        if (raw === '' && f.default === null) {
          msg.textContent = '';
          this.onPatch({ [f.name]: null } as Partial<C>);
          return;
        }
        const r = parseValue(f, raw);
        if ('error' in r) {
          msg.textContent = `${f.name}: ${r.error}. Allowed: ${describeField(f)}`;
          input.classList.add('invalid');
          return;
        }
        msg.textContent = '';
        input.classList.remove('invalid');
        this.onPatch({ [f.name]: r.value } as Partial<C>);
      });
      this.inputs.set(f.name, input);
      this.messages.set(f.name, msg);
      const label = opts.labels?.[f.name] ?? f.name;
      this.root.append(el('label', { for: id, class: 'control' }, el('span', { class: 'control-name' }, label), input, msg));
    }
  }

  /** Shows the values of `config` (after a cross-field repair, say). */
  show(config: C): void {
    for (const [name, input] of this.inputs) {
      const spec = this.fields[name];
      const v = config[name] as FieldValue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(v);
      else input.value = v === null ? '' : formatValue(spec, v);
    }
  }

  setDisabled(disabled: boolean): void {
    for (const i of this.inputs.values()) i.disabled = disabled;
  }
}
