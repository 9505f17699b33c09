// Small DOM helpers for the views. Text always goes in through textContent;
// there is no helper that parses HTML.

/** Creates an element; props: className, text, attrs {name: value}, on {event: fn}. */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs || {})) el.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props.on || {})) el.addEventListener(k, fn);
  for (const c of children) el.appendChild(c);
  return el;
}

/** Sets textContent only when it changed (keeps updates idempotent and cheap). */
export function setText(el, text) {
  const s = text == null ? '' : String(text);
  if (el.textContent !== s) el.textContent = s;
}

/** Sets or removes an attribute; null or false removes it. */
export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    return;
  }
  const s = value === true ? '' : String(value);
  if (el.getAttribute(name) !== s) el.setAttribute(name, s);
}

export function show(el, visible) {
  if (el.hidden === !visible) return;
  el.hidden = !visible;
}
