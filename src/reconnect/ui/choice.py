"""One statement and its labelled answers, as a real radio group that screen readers understand.

ipywidgets' ToggleButtons name each button only by its label ("Mostly true of me"), five times over,
and mark the chosen one only with a CSS class. :class:`RatingChoice` renders instead:

- a ``fieldset`` with ``role="radiogroup"`` named by its ``legend``, the numbered statement, so
  every answer is announced together with the statement it belongs to;
- one native radio button per answer inside a visible, button-like ``label``: its accessible name is
  the answer, its checked state is exposed (not only a colour), and the browser's own keyboard rules
  apply: Tab moves from statement to statement, arrow keys move between answers, Space chooses.

It is an `anywidget <https://anywidget.dev>`_ widget, so it needs no JupyterLab build step and works
in JupyterLab, Notebook 7 and Voilà. Like any ipywidget it is driven from Python by setting
``.value``; the statement text is put into the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

import anywidget
import traitlets

from ..bank.i18n import N_, _
from .serial import one_at_a_time

WAITING_NOTE = N_(
    "This answer is not recorded yet; the page is trying again. If this note stays, reload the page (F5) "
    "and choose it again."
)

_ESM = r"""
function render({ model, el }) {
  const uid = "rc-" + Math.random().toString(36).slice(2, 10);
  const group = document.createElement("fieldset");
  group.className = "rc-choice-group";
  group.setAttribute("role", "radiogroup");
  const legend = document.createElement("legend");
  legend.id = uid + "-statement";
  legend.className = "rc-statement";
  group.setAttribute("aria-labelledby", legend.id);
  const options = document.createElement("div");
  options.className = "rc-options";
  group.append(legend, options);
  el.appendChild(group);

  function drawLegend() {
    legend.textContent = "";
    const number = document.createElement("b");
    number.textContent = model.get("number") + ".";
    legend.append(number, " " + model.get("statement"));
  }

  // A choice goes to the kernel as a numbered custom message, not through the model's throttled
  // sync: in Voilà a quick second key press right after the page appeared could stay buffered for
  // good, and the kernel may handle quick messages out of order. The kernel keeps the newest
  // choice by number and answers with the value and that number ("ack") in one update. Until the
  // newest choice is acknowledged the group carries data-pending, and updates for older choices
  // do not redraw the buttons (no flicker back to an older answer).
  // The number is the time of the choice in milliseconds (and always above every number used
  // before), not a count kept by this view: two views of one statement (a second tab, a page
  // reloaded while its kernel kept running) can never send the same number, and the kernel
  // keeps whichever choice was made last.
  let sent = model.get("ack");
  let acked = sent;
  const nextNumber = () => Math.max(sent + 1, model.get("ack") + 1, Date.now());

  // A choice, or its acknowledgement, can be lost on the way (a page that reconnects to its kernel, a
  // busy machine). Until the newest choice is acknowledged it is sent again every RESEND_MS (the kernel
  // takes it once and acknowledges a repeat again); after WARN_MS a note under the statement says that
  // the answer has not reached Python yet, and goes once it has.
  const RESEND_MS = 1000;
  const WARN_MS = 8000;
  let chosen = null;
  let since = 0;
  let timer = null;
  const note = document.createElement("p");
  note.className = "rc-choice-note";
  note.setAttribute("role", "status");
  note.hidden = true;

  function settle() {
    if (acked < sent) return;
    delete group.dataset.pending;
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
    note.hidden = true;
    note.textContent = "";
  }

  function resend() {
    if (acked >= sent) return settle();
    model.send({ choose: chosen, seq: sent });
    if (Date.now() - since >= WARN_MS && note.hidden) {
      note.textContent = model.get("waiting_note");
      note.hidden = false;
    }
  }

  function mark() {
    for (const input of options.querySelectorAll("input")) {
      input.parentElement.classList.toggle("mod-active", input.checked);
    }
  }

  function sync() {
    if (acked < sent) return;
    if (model.get("ack") < acked) return; // an older picture of the kernel's state: see change:ack
    const value = model.get("value");
    const disabled = model.get("disabled");
    for (const input of options.querySelectorAll("input")) {
      input.checked = value !== null && Number(input.value) === value;
      input.disabled = disabled;
    }
    mark();
  }

  function drawOptions() {
    options.textContent = "";
    for (const [label, value] of model.get("options")) {
      const box = document.createElement("label");
      box.className = "rc-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = uid;
      input.value = String(value);
      // JupyterLab: arrow keys and Space belong to the answers, not to the notebook's shortcuts
      // (Lumino ignores key bindings for an event whose target carries this attribute).
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.addEventListener("change", () => {
        if (input.checked) {
          sent = nextNumber();
          chosen = Number(input.value);
          group.dataset.pending = "true";
          model.send({ choose: chosen, seq: sent });
          if (timer === null) {
            since = Date.now();
            timer = setInterval(resend, RESEND_MS);
          }
          mark();
        }
      });
      // The words twice in one grid cell: shown, and (hidden, ::after) in bold, so the box is as wide and as tall
      // as the chosen, bold answer from the start: choosing never wraps a line or moves the page.
      const text = document.createElement("span");
      text.className = "rc-option-text";
      text.dataset.label = label; // the hidden bold copy (CSS ::after; not part of the page's text)
      const shown = document.createElement("span");
      shown.textContent = label;
      text.append(shown);
      box.append(input, text);
      options.appendChild(box);
    }
    sync();
  }

  // A page that connects to a kernel already running (a reload, a second tab, Lab reopening a notebook)
  // fetches every widget's state, and on a busy machine such a reply can arrive after newer updates: an
  // older picture whose number is below the newest acknowledged one. It was seen putting an answer back
  // to the one before (page only; the kernel kept the newest). It is never shown: the kernel is asked to
  // send its current state again.
  model.on("change:ack", () => {
    const ack = model.get("ack");
    if (ack < acked) {
      model.send({ resync: true });
      return;
    }
    acked = ack;
    settle();
    sync();
  });
  group.append(note);
  drawLegend();
  drawOptions();
  model.on("change:number", drawLegend);
  model.on("change:statement", drawLegend);
  model.on("change:options", drawOptions);
  model.on("change:value", sync);
  model.on("change:disabled", sync);
}
export default { render };
"""

# The chosen answer stands out by a filled dot, bold text and a dark frame, not by colour alone.
_CSS = """
.rc-choice-group { border: 0; margin: 12px 0 0 0; padding: 0; min-width: 0; }
.rc-choice-group .rc-statement { font-size: 16px; padding: 0; margin-bottom: 6px; }
.rc-choice-group .rc-choice-note { margin: 4px 0 0 0; font-size: 14px; color: #8a3b00; }
/* The answers sit on one row in equal columns (a chosen, bold answer never pushes the others along);
   a long label wraps inside its own box. On a narrow window they become a plain vertical list. */
.rc-choice-group .rc-options { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 6px; }
.rc-choice-group .rc-option {
  display: flex; align-items: center; gap: 6px; padding: 6px 8px; font-size: 16px; line-height: 1.25;
  min-width: 0; overflow-wrap: anywhere;
  border: 1px solid #767676; border-radius: 4px; background: #ffffff; color: #1a1a1a; cursor: pointer;
}
.rc-choice-group .rc-option input { flex: none; }
.rc-choice-group .rc-option-text { display: grid; min-width: 0; }
.rc-choice-group .rc-option-text > span { grid-area: 1 / 1; }
.rc-choice-group .rc-option-text::after {
  content: attr(data-label); content: attr(data-label) / ""; /* no part of the answer's accessible name */
  grid-area: 1 / 1; font-weight: bold; visibility: hidden;
}
@media (max-width: 1023px) {
  .rc-choice-group .rc-options { grid-auto-flow: row; grid-template-columns: 1fr; max-width: 24rem; }
}
.rc-choice-group .rc-option input { margin: 0; width: 16px; height: 16px; accent-color: #0072B2; }
.rc-choice-group .rc-option.mod-active {
  background: #0072B2; color: #ffffff; font-weight: bold; box-shadow: inset 0 0 0 2px #003f63;
}
.rc-choice-group .rc-option.mod-active input { accent-color: #ffffff; }
.rc-choice-group .rc-option:has(input:focus-visible) { outline: 3px solid #E69F00; outline-offset: 1px; }
.rc-choice-group .rc-option:has(input:disabled) { opacity: 0.6; cursor: default; }
"""


class RatingChoice(anywidget.AnyWidget):
    """A numbered statement with one radio button per answer; ``value`` is the chosen rating or ``None``.

    Parameters
    ----------
    statement : str
        The statement, shown as the group's label (plain text, never HTML).
    number : int
        Its number in the form ("1." is shown before the statement).
    options : list of (label, value)
        The answers in order, e.g. ``[("Not at all true of me", 1), ...]``.

    Examples
    --------
    >>> box = RatingChoice(statement="I like who I am.", number=1, options=[("No", 1), ("Yes", 2)])
    >>> box.value = 2
    >>> box.value
    2
    """

    _esm = _ESM
    _css = _CSS
    statement = traitlets.Unicode("").tag(sync=True)
    number = traitlets.Int(0).tag(sync=True)
    options = traitlets.List(traitlets.Tuple(traitlets.Unicode(), traitlets.Int())).tag(sync=True)
    value = traitlets.Int(None, allow_none=True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    ack = traitlets.Int(0).tag(sync=True)  # number (time in ms) of the newest choice the kernel has taken
    #: Shown under the statement when a choice has not been acknowledged for a few seconds.
    waiting_note = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("waiting_note", _(WAITING_NOTE))
        super().__init__(**kwargs)
        self.on_msg(self._on_frontend_message)

    @one_at_a_time  # the value and its number change together, whatever thread the message is on
    def _on_frontend_message(self, _widget, content, _buffers) -> None:
        """A choice made in the browser: take it, then acknowledge it (see the comments in the JS).

        ``{"resync": true}``: the page was given an older picture of this state; send the current one.
        """
        if isinstance(content, dict) and content.get("resync") is True:
            self.send_state(["value", "ack"])
            return
        if not isinstance(content, dict) or "choose" not in content:
            return
        seq = content.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return
        if seq <= self.ack:
            # Not newer than a choice already taken: a message that arrived late, or a repeat sent because
            # no acknowledgement came back. Say again which choice counts (the page may have missed it).
            self.send_state(["value", "ack"])
            return
        with self.hold_sync():  # value and ack reach the browser in one update
            try:
                self.value = content["choose"]
            except traitlets.TraitError:
                pass  # not one of the answers: keep the old value; the ack redraws it
            self.ack = seq

    @traitlets.validate("value")
    def _check_value(self, proposal):
        value = proposal["value"]
        allowed = [v for _, v in self.options]
        if value is not None and (isinstance(value, bool) or value not in allowed):
            raise traitlets.TraitError(f"{value!r} is not one of the answers {allowed}")
        return value
