"""A short choice between a few options ("Show: my own answers / a demo participant"), as a real radio group.

ipywidgets' ToggleButtons mark the chosen button only by a CSS class, so a screen reader cannot tell
which one is chosen; an ``aria-pressed`` added from outside (the series' JupyterLab extension) does not
reach Voilà's app mode. :class:`Switch` renders the same row of button-like options as native radio
buttons in a ``fieldset`` named by its ``legend``, so the chosen option is exposed as checked in
JupyterLab, Notebook 7 and Voilà alike, with the browser's own keys (Tab in, arrows between options).

It is an `anywidget <https://anywidget.dev>`_ widget (no build step). A choice made in the page goes to
the kernel as a custom message (as :mod:`reconnect.ui.choice` does), which sets ``value``; Python code
and tests set ``.value`` directly. Labels are put into the page as text, never as HTML.

Examples
--------
>>> show = Switch(label="Show", options=[("My own answers", "own"), ("A demo participant", "demo")], value="own")
>>> show.value = "demo"
>>> show.value
'demo'
>>> show._on_frontend_message(show, {"choose": "own"}, [])
>>> show.value
'own'
>>> show._on_frontend_message(show, {"choose": "nobody"}, [])  # not an option: ignored
>>> show.value
'own'
"""

from __future__ import annotations

import anywidget
import traitlets

from .serial import one_at_a_time

_ESM = r"""
function render({ model, el }) {
  const uid = "rc-switch-" + Math.random().toString(36).slice(2, 10);
  const group = document.createElement("fieldset");
  group.className = "rc-switch";
  const legend = document.createElement("legend");
  legend.className = "rc-switch-label";
  const options = document.createElement("div");
  options.className = "rc-switch-options";
  group.append(legend, options);
  el.appendChild(group);

  function mark() {
    for (const input of options.querySelectorAll("input")) {
      input.parentElement.classList.toggle("mod-active", input.checked);
    }
  }

  // A page that connects to a kernel already running fetches every widget's state, and on a busy machine
  // such a reply can arrive after newer updates. The kernel numbers every change of the value
  // ("version"); an older picture is never shown, and the kernel is asked for its current state instead
  // (as for the answers, ui/choice.py).
  let seen = model.get("version");

  function sync() {
    if (model.get("version") < seen) return;
    const value = model.get("value");
    for (const input of options.querySelectorAll("input")) {
      input.checked = input.value === value;
    }
    mark();
  }

  function draw() {
    legend.textContent = model.get("label");
    options.textContent = "";
    for (const [text, value] of model.get("options")) {
      const box = document.createElement("label");
      box.className = "rc-switch-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = uid;
      input.value = value;
      // JupyterLab: arrow keys and Space belong to the options, not to the notebook's shortcuts.
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.addEventListener("change", () => {
        if (input.checked) {
          model.send({ choose: value });
          mark();
        }
      });
      const span = document.createElement("span");
      span.textContent = text;
      box.append(input, span);
      options.appendChild(box);
    }
    sync();
  }

  draw();
  model.on("change:label", draw);
  model.on("change:options", draw);
  model.on("change:value", sync);
  model.on("change:version", () => {
    const version = model.get("version");
    if (version < seen) {
      model.send({ resync: true });
      return;
    }
    seen = version;
    sync();
  });
}
export default { render };
"""

# The chosen option is filled dark blue with a dark frame and bold text (not colour alone); the radio dot
# stays visible. The focus ring is 3 px, as on every other control of the series.
_CSS = """
.rc-switch { border: 0; margin: 4px 0; padding: 0; min-width: 0; display: flex; flex-wrap: wrap;
  align-items: center; gap: 8px; }
.rc-switch .rc-switch-label { float: left; font-size: 14px; padding: 0 6px 0 0; }
.rc-switch .rc-switch-options { display: flex; flex-wrap: wrap; gap: 6px; }
.rc-switch .rc-switch-option {
  display: flex; align-items: center; gap: 6px; padding: 6px 10px; font-size: 14px; line-height: 1.25;
  border: 1px solid #767676; border-radius: 4px; background: #ffffff; color: #1a1a1a; cursor: pointer;
}
.rc-switch .rc-switch-option input { margin: 0; width: 16px; height: 16px; accent-color: #0072B2; }
.rc-switch .rc-switch-option.mod-active {
  background: #0072B2; color: #ffffff; font-weight: bold; box-shadow: inset 0 0 0 2px #003f63;
}
.rc-switch .rc-switch-option.mod-active input { accent-color: #ffffff; }
.rc-switch .rc-switch-option:has(input:focus-visible) { outline: 3px solid #E69F00; outline-offset: 1px; }
"""


class Switch(anywidget.AnyWidget):
    """A labelled row of options, one chosen; ``value`` is the chosen option's value.

    Parameters
    ----------
    label : str
        What the choice is about ("Show"), the group's name.
    options : list of (text, value)
        The options in order, each a visible text and a string value.
    value : str
        The chosen option's value.
    """

    _esm = _ESM
    _css = _CSS
    label = traitlets.Unicode("").tag(sync=True)
    options = traitlets.List(traitlets.Tuple(traitlets.Unicode(), traitlets.Unicode())).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)  # one more at every change of the value (see the JS)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_frontend_message)

    @traitlets.observe("value")
    def _count(self, _change) -> None:
        self.version += 1

    @one_at_a_time  # the value and its version change together, whatever thread the message is on
    def _on_frontend_message(self, _widget, content, _buffers) -> None:
        """A choice made in the browser; anything but one of the options is ignored.

        ``{"resync": true}``: the page was given an older picture of this state; send the current one.
        """
        if isinstance(content, dict) and content.get("resync") is True:
            self.send_state(["value", "version"])
        elif isinstance(content, dict) and content.get("choose") in [v for _, v in self.options]:
            with self.hold_sync():  # the value and its number reach the page in one update
                self.value = content["choose"]
