"""Where the keyboard goes after a button takes what was on screen away.

A button that hides itself or the form around it ("This is me", "I'm done — sign out", 00's language choice)
drops the browser's focus to the page's body: a keyboard or screen-reader user is thrown back to the top of
the page. :class:`FocusMover` is an invisible widget placed beside such a button; :meth:`FocusMover.move`
asks the page to put the focus on the first thing to do next, named by CSS selectors in order of preference
(the first one that matches a visible, enabled element within the same notebook wins). New parts of a page
arrive a moment after the click, so the page keeps looking for the first choice for ``wait_ms`` before it
settles for a later one, and holds it there for two seconds (JupyterLab focuses its notebook a moment after
a change); a control the person moved to by themselves meanwhile is left alone; a message (``.rc-msg``) can be a target too (it is made focusable for that).

It is an `anywidget <https://anywidget.dev>`_ widget, like :mod:`reconnect.ui.choice`, so it works in
JupyterLab and in app mode alike.

Examples
--------
>>> mover = FocusMover()
>>> mover.move(".rc-gate input", ".rc-who")
>>> mover.targets, mover.request > 0
(['.rc-gate input', '.rc-who'], True)
"""

from __future__ import annotations

import time

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  el.style.display = "none";
  const scope = () => el.closest(".jp-Notebook, #rendered_cells") || document;
  let timer = null;
  const usable = node =>
    node.offsetParent !== null && !node.disabled && !node.closest("[hidden], .rc-gated");
  function attempt(selectors) {
    for (const selector of selectors) {
      for (const node of scope().querySelectorAll(selector)) {
        if (!usable(node)) continue;
        if (node.tabIndex < 0 && !node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
        node.focus();
        if (document.activeElement === node) return node;
      }
    }
    return null;
  }
  function go() {
    const request = model.get("request");
    const targets = model.get("targets");
    const wait = model.get("wait_ms");
    if (!request || !targets.length) return;
    const started = Date.now();
    clearInterval(timer);
    // a control the person reached by themselves meanwhile (Tab, a click) is never taken from them; the
    // button that was pressed (still focused while the page takes it away) is not such a control
    const pressed = document.activeElement;
    const theirs = () => {
      const now = document.activeElement;
      return !!now && now !== pressed && now !== placed && now.matches("input, button, select, textarea, a[href]") &&
        usable(now) && scope().contains(now);
    };
    let placed = null;
    let placedAt = 0;
    const stop = () => {
      clearInterval(timer);
      timer = null;
    };
    const inLab = !!el.closest(".jp-Notebook");
    const tick = () => {
      const now = Date.now();
      if (!inLab) {
        // app mode: nothing takes the focus back, so the first success ends it
        const late = now - started >= wait;
        if (attempt(late ? targets : targets.slice(0, 1)) || now - started > wait + 3000) stop();
        return;
      }
      if (theirs() || now - started > wait + 5000) return stop();
      if (placed) {
        // JupyterLab focuses its notebook a moment after a change: the focus is held for 2 s, then left alone
        if (document.activeElement === placed) {
          if (now - placedAt > 2000) stop();
        } else if (usable(placed)) {
          placed.focus();
        } else {
          placed = null;
        }
        return;
      }
      // the first choice while it may still be arriving; after wait_ms any of them, in order
      placed = attempt(now - started >= wait ? targets : targets.slice(0, 1));
      placedAt = now;
      if (!placed && now - started > wait + 3000) stop();
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


class FocusMover(anywidget.AnyWidget):
    """An invisible widget that moves the page's keyboard focus when asked (:meth:`move`)."""

    _esm = _ESM
    targets = traitlets.List(traitlets.Unicode()).tag(sync=True)
    wait_ms = traitlets.Int(2500).tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)  # the time of the newest request, in ms

    def move(self, *targets: str, wait_ms: int = 2500) -> None:
        """Put the focus on the first visible element matching ``targets[0]`` (or, after ``wait_ms``, a later one)."""
        self.wait_ms = wait_ms
        self.targets = list(targets)
        self.request = max(int(time.time() * 1000), self.request + 1)
