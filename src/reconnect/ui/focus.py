"""Where the keyboard goes after a button takes what was on screen away.

A button that hides itself or the form around it ("This is me", "I'm done — sign out", 00's language choice)
drops the browser's focus to the page's body: a keyboard or screen-reader user is thrown back to the top of
the page. :class:`FocusMover` is an invisible widget placed beside such a button. :meth:`FocusMover.move`
asks the page to put the focus on the first thing to do next, named by CSS selectors in order of preference
(the first one that matches a visible, enabled element within the same notebook wins); :meth:`FocusMover.move_to`
names the next thing by its widget instead (e.g. :func:`first_control` of what a sign-in opened).

Why a widget rather than "the first control on screen": what a click opens is drawn by the browser in
pieces, and not in page order (a plain button is drawn at once, a statement's answers a moment later, once
their script has loaded). Looking for "the first control" while the pieces arrive found the "Save" button
below the statements on some runs and the first answer on others. So the kernel, which built the view and
knows its order, names the one control that comes next (:func:`first_control`, by its widget's id), and
the page waits for exactly that widget's view (up to ``wait_ms``, however busy the computer is) before it
settles for a later choice.
Once placed, the focus is held for two seconds in JupyterLab (its notebook may take the focus when a cell's
output changes); a control the person reached by themselves meanwhile (Tab, a click) is never taken from
them; a message (``.rc-msg``) can be a target too (it is made focusable for that).

It is an `anywidget <https://anywidget.dev>`_ widget, like :mod:`reconnect.ui.choice`, so it works in
JupyterLab and in app mode alike.

Examples
--------
>>> mover = FocusMover()
>>> mover.move(".rc-gate input", ".rc-who")
>>> mover.targets, mover.request > 0
(['.rc-gate input', '.rc-who'], True)
>>> import ipywidgets as w
>>> form = w.VBox([w.HTML("Hello"), w.Button(description="Save")])
>>> first_control(form) is form.children[1]
True
>>> mover.move_to(form.children[1], ".rc-who")
>>> mover.target_id == form.children[1].model_id, mover.targets
(True, ['.rc-who'])
"""

from __future__ import annotations

import time

import anywidget
import ipywidgets as w
import traitlets

_ESM = r"""
const CONTROL = "input, button, select, textarea";
function render({ model, el }) {
  el.style.display = "none";
  const scope = () => el.closest(".jp-Notebook, #rendered_cells") || document;
  let timer = null;
  const usable = node =>
    node.isConnected && node.offsetParent !== null && !node.disabled && !node.closest("[hidden], .rc-gated");
  // the element to focus for a match: the match itself if it is a control, else its first control, else itself
  // (a message, the line saying who is answering)
  const focusable = (node, strict) => (node.matches(CONTROL) ? node : node.querySelector(CONTROL) || (strict ? null : node));
  // the views (on screen) of the widget named by its model id (``move_to``): found through the widget manager,
  // because a widget's own classes are not put on an anywidget's view
  const drawn = new Set();
  function lookFor(id) {
    if (!id) return;
    new Promise(resolve => resolve(model.widget_manager.get_model(id)))
      .then(target => Object.values((target && target.views) || {}).forEach(view => Promise.resolve(view).then(v => drawn.add(v))))
      .catch(() => undefined); // not on the page yet: the next tick looks again
  }
  function place(node) {
    if (!node || !usable(node)) return null;
    if (node.tabIndex < 0 && !node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus();
    return document.activeElement === node ? node : null;
  }
  function attempt(id, selectors) {
    if (id) {
      for (const view of drawn) {
        if (view.el && view.el.isConnected && scope().contains(view.el)) {
          const node = place(focusable(view.el, true)); // its control, once drawn inside
          if (node) return node;
        }
      }
    }
    for (const selector of selectors) {
      for (const match of scope().querySelectorAll(selector)) {
        const node = place(focusable(match));
        if (node) return node;
      }
    }
    return null;
  }
  function go() {
    const request = model.get("request");
    const targets = model.get("targets");
    const wait = model.get("wait_ms");
    const id = model.get("target_id");
    if (!request || !(targets.length || id)) return;
    drawn.clear();
    const started = Date.now();
    clearInterval(timer);
    // a control the person reached by themselves meanwhile (Tab, a click) is never taken from them; the
    // button that was pressed (still focused while the page takes it away) is not such a control
    const pressed = document.activeElement;
    let placed = null;
    let placedAt = 0;
    const theirs = () => {
      const now = document.activeElement;
      return !!now && now !== pressed && now !== placed && now.matches(CONTROL) && usable(now) && scope().contains(now);
    };
    const stop = () => {
      clearInterval(timer);
      timer = null;
    };
    // JupyterLab may focus its notebook when a cell's output changes: there the focus is held for 2 s
    const hold = el.closest(".jp-Notebook") ? 2000 : 0;
    const tick = () => {
      const now = Date.now();
      if (theirs() || now - started > wait + 5000) return stop();
      if (placed) {
        if (document.activeElement === placed) {
          if (now - placedAt >= hold) stop();
        } else if (usable(placed)) {
          placed.focus();
        } else {
          placed = null;
        }
        return;
      }
      // the first choice (the widget named, else the first selector) until it is drawn (at most wait_ms);
      // after that any of them, in order
      const late = now - started >= wait;
      if (!late) lookFor(id);
      placed = id ? attempt(late ? null : id, late ? targets : []) : attempt(null, late ? targets : targets.slice(0, 1));
      placedAt = now;
      if (placed && !hold) stop();
    };
    timer = setInterval(tick, 100);
    tick();
  }
  model.on("change:request", go);
  // a view drawn just after its request (a panel drawn again in another language) still moves the focus
  if (Math.abs(Date.now() - model.get("request")) < 3000) go();
}
export default { render };
"""

#: Widgets a person can type into, choose with or press (an anywidget counts when it has a ``value``).
CONTROLS = (
    w.Button,
    w.ToggleButton,
    w.ToggleButtons,
    w.Text,
    w.Textarea,
    w.Password,
    w.Combobox,
    w.Dropdown,
    w.Select,
    w.SelectMultiple,
    w.RadioButtons,
    w.Checkbox,
    w.IntText,
    w.FloatText,
    w.BoundedIntText,
    w.BoundedFloatText,
    w.IntSlider,
    w.FloatSlider,
    w.SelectionSlider,
    w.DatePicker,
)

def _shown(widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is None or (layout.display != "none" and layout.visibility != "hidden")


def first_control(widget):
    """The first visible, enabled control in ``widget``'s tree (page order), or ``None``.

    Examples
    --------
    >>> import ipywidgets as w
    >>> first_control(w.VBox([w.HTML("Hi"), w.Button(disabled=True), w.HBox([w.Text()])])).__class__.__name__
    'Text'
    """
    if widget is None or not _shown(widget) or getattr(widget, "disabled", False):
        return None
    if isinstance(widget, CONTROLS) or (
        isinstance(widget, anywidget.AnyWidget) and not isinstance(widget, FocusMover) and widget.has_trait("value")
    ):
        return widget
    for child in getattr(widget, "children", ()) or ():
        found = first_control(child)
        if found is not None:
            return found
    return None


class FocusMover(anywidget.AnyWidget):
    """An invisible widget that moves the page's keyboard focus when asked (:meth:`move`, :meth:`move_to`)."""

    _esm = _ESM
    targets = traitlets.List(traitlets.Unicode()).tag(sync=True)
    target_id = traitlets.Unicode("").tag(sync=True)  # the model id of the widget to focus (move_to), or ""
    wait_ms = traitlets.Int(2500).tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)  # the time of the newest request, in ms

    def move(self, *targets: str, wait_ms: int = 2500) -> None:
        """Put the focus on the first visible element matching ``targets[0]`` (or, after ``wait_ms``, a later one).

        A match that is not a control itself (a widget's box) gives the focus to its first control.
        """
        self._ask(targets, "", wait_ms)

    def _ask(self, targets, target_id: str, wait_ms: int) -> None:
        self.wait_ms = wait_ms
        self.targets = list(targets)
        self.target_id = target_id
        self.request = max(int(time.time() * 1000), self.request + 1)

    def move_to(self, widget, *fallbacks: str, wait_ms: int = 20000) -> None:
        """Put the focus on ``widget`` (its first control) once the page has drawn it; if it is not drawn within
        ``wait_ms`` (or ``widget`` is ``None``), on the first of ``fallbacks`` that is."""
        if widget is None:
            self.move(*fallbacks, wait_ms=0)
        else:
            self._ask(fallbacks, widget.model_id, wait_ms)
