/**
 * Reconnect's JupyterLab helper, for the series' own notebooks only (metadata `reconnect.series: true`):
 *
 * - comes alive on open: once the notebook's kernel is ready, its cells run once (nothing to click);
 * - never asks to be saved: answers are saved by the notebook's own buttons into data files, so the
 *   notebook itself stays clean (no "changed" dot, no save question on close, nothing for autosave);
 * - walks like pages: a link to another notebook replaces the current tab, and closing a series
 *   notebook shuts its kernel down, so walking 00 -> 07 keeps one kernel (two for a moment).
 *
 * Any other notebook is left exactly as JupyterLab handles it. On every page (also Voilà's app mode), toggle
 * buttons get `aria-pressed`.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

/** Attribute on the notebook panel: "running" while the cells run on open, then "done" (tests wait on it). */
export const STATE_ATTR = 'data-reconnect-autorun';
/** Attribute on the notebook panel holding the message shown about a page that does not start ('' when none). */
export const NOTICE_ATTR = 'data-reconnect-notice';

/** Whether a notebook's metadata marks it as one of the series' notebooks. */
export function isSeries(metadata: unknown): boolean {
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    (metadata as { series?: unknown }).series === true
  );
}

async function kernelReady(panel: NotebookPanel): Promise<boolean> {
  const session = panel.sessionContext;
  await session.ready;
  const kernel = session.session?.kernel;
  if (!kernel) {
    return false; // "No kernel" chosen: nothing to run
  }
  await kernel.info; // resolves once the kernel has answered: it is started and connected
  return !panel.isDisposed;
}

/** Keep the notebook clean: outputs and execution counts are not changes a participant should save. */
function keepClean(panel: NotebookPanel): void {
  const model = panel.model;
  if (!model) {
    return;
  }
  model.dirty = false;
  model.stateChanged.connect((_, change) => {
    if (change.name === 'dirty' && change.newValue === true) {
      model.dirty = false;
    }
  });
}

/** True once the browser tab is being reloaded or left: widgets may be disposed then, but the person did
 * not close the notebook, and its kernel must survive the reload (the notebook reconnects to it). */
let pageUnloading = false;
window.addEventListener('beforeunload', () => {
  pageUnloading = true;
});
window.addEventListener('pagehide', () => {
  pageUnloading = true;
});

/** Shut the kernel down when the notebook's tab closes (JupyterLab keeps it running by default). */
function shutDownOnClose(app: JupyterFrontEnd, panel: NotebookPanel): void {
  let sessionId = panel.sessionContext.session?.id ?? '';
  panel.sessionContext.sessionChanged.connect((_, change) => {
    sessionId = change.newValue?.id ?? sessionId;
  });
  panel.disposed.connect(() => {
    if (sessionId && !pageUnloading) {
      void app.serviceManager.sessions.shutdown(sessionId).catch(() => undefined);
    }
  });
}

/**
 * The notebook a rendered markdown link points at, or null. JupyterLab rewrites a relative link such as
 * `02_distrust.ipynb#Contents` to the file's download address `<base>files/02_distrust.ipynb#Contents`.
 */
export function notebookOf(href: string, base = PageConfig.getBaseUrl()): { path: string; id: string } | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  const files = new URL('files/', base);
  if (url.origin !== files.origin || !url.pathname.startsWith(files.pathname)) {
    return null;
  }
  const path = decodeURIComponent(url.pathname.slice(files.pathname.length));
  return path.endsWith('.ipynb') ? { path, id: url.hash } : null;
}

/** A click on a link to another notebook opens it in place of this one (one kernel, not one per page). */
function navigateInPlace(app: JupyterFrontEnd, panel: NotebookPanel): void {
  panel.node.addEventListener(
    'click',
    event => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return; // the person asked for a new tab or window
      }
      const anchor = (event.target as HTMLElement | null)?.closest('.jp-RenderedMarkdown a');
      const target = anchor ? notebookOf((anchor as HTMLAnchorElement).href) : null;
      if (!target || target.path === panel.context.path) {
        return; // not a notebook of this server, or a place within this notebook: JupyterLab handles it
      }
      event.preventDefault();
      event.stopPropagation();
      void app.commands
        .execute('docmanager:open', {
          path: target.path,
          options: { ref: panel.id, mode: 'tab-after' }
        })
        .then(widget => {
          if (target.id && widget && typeof widget.setFragment === 'function') {
            widget.setFragment(target.id);
          }
          if (widget !== panel) {
            panel.close();
          }
        });
    },
    true
  );
}

/**
 * Seconds the page waits for its Python (the kernel) to start, or to answer while the page's cells run, before
 * it says so and starts Python again. A server may lower it for tests: page_config.json `reconnectStallSeconds`.
 */
export function stallSeconds(option = PageConfig.getOption('reconnectStallSeconds')): number {
  const value = Number(option);
  return Number.isFinite(value) && value > 0 ? value : 60;
}
/** Fresh starts of Python tried before the page asks the person to reload it. */
const RETRIES = 2;

/**
 * A message in JupyterLab's own notification area (it stays until the page starts; screen readers announce
 * it), one per notebook: a new text replaces the last, '' removes it. Lab cuts a toast at 140 characters.
 */
const notices = new WeakMap<NotebookPanel, string>();
function notice(panel: NotebookPanel, text: string, kind: 'warning' | 'error' = 'warning'): void {
  const previous = notices.get(panel);
  if (previous) {
    Notification.dismiss(previous);
    notices.delete(panel);
  }
  panel.node.setAttribute(NOTICE_ATTR, text);
  if (text) {
    notices.set(panel, Notification.emit(text, kind, { autoClose: false }));
  }
}

/** Resolve with the promise's value, or with 'stalled' once the kernel gave no sign of life for `seconds`. */
function watch<T>(panel: NotebookPanel, work: Promise<T>, seconds: number): Promise<T | 'stalled'> {
  return new Promise(resolve => {
    let quietSince = Date.now();
    const alive = () => {
      quietSince = Date.now();
    };
    const session = panel.sessionContext;
    session.iopubMessage.connect(alive); // output, status "busy": the kernel is working
    const timer = window.setInterval(() => {
      if (Date.now() - quietSince > seconds * 1000) {
        finish('stalled');
      }
    }, 1000);
    const finish = (value: T | 'stalled') => {
      window.clearInterval(timer);
      session.iopubMessage.disconnect(alive);
      resolve(value);
    };
    work.then(finish, () => finish('stalled'));
  });
}

/** Start the notebook's Python again after a stall (a fresh kernel; saved answers are files, so nothing is lost). */
async function freshKernel(panel: NotebookPanel, seconds: number): Promise<boolean> {
  const restarted = await watch(
    panel,
    panel.sessionContext.restartKernel().then(() => true),
    seconds
  );
  return restarted === true && !panel.isDisposed;
}

async function setUp(app: JupyterFrontEnd, panel: NotebookPanel): Promise<void> {
  await panel.context.ready;
  if (panel.isDisposed || !isSeries(panel.model?.getMetadata('reconnect'))) {
    return;
  }
  panel.node.setAttribute(STATE_ATTR, 'waiting');
  keepClean(panel);
  shutDownOnClose(app, panel);
  navigateInPlace(app, panel);
  const seconds = stallSeconds();
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0) {
      notice(
        panel,
        'This page is taking much longer than it should to start. Starting it again now; your saved ' +
          'answers are safe.'
      );
      if (!(await freshKernel(panel, seconds))) {
        continue;
      }
    }
    const ready = await watch(panel, kernelReady(panel), seconds);
    if (ready === false || panel.isDisposed) {
      return; // "No kernel" chosen, or the tab was closed
    }
    if (ready === 'stalled') {
      continue;
    }
    panel.node.setAttribute(STATE_ATTR, 'running');
    const notebook = panel.content;
    const ran = await watch(
      panel,
      NotebookActions.runCells(notebook, notebook.widgets, panel.sessionContext),
      seconds
    );
    if (panel.isDisposed) {
      return;
    }
    if (ran === 'stalled') {
      continue;
    }
    notebook.deselectAll();
    notice(panel, '');
    panel.node.setAttribute(STATE_ATTR, 'done');
    return;
  }
  panel.node.setAttribute(STATE_ATTR, 'stalled');
  notice(
    panel,
    `This page did not start after ${RETRIES + 1} tries. Reload it (F5). If it keeps happening, tell your ` +
      'facilitator.',
    'error'
  );
}

/**
 * ipywidgets' toggle buttons (06's "Show" choice) mark the chosen button by colour only: give every toggle
 * button `aria-pressed`, kept in step with its "chosen" class, in JupyterLab and in app mode alike.
 */
export function markPressed(root: ParentNode): void {
  root.querySelectorAll('.widget-toggle-button').forEach(button => {
    const pressed = button.classList.contains('mod-active') ? 'true' : 'false';
    if (button.getAttribute('aria-pressed') !== pressed) {
      button.setAttribute('aria-pressed', pressed);
    }
  });
}

function watchTogglePressed(): void {
  let queued = false;
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        markPressed(document);
      });
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'reconnect-series:plugin',
  description: 'Series notebooks run on open, never ask to be saved, and navigate in place.',
  autoStart: true,
  optional: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker | null) => {
    watchTogglePressed();
    if (!tracker) {
      return; // e.g. Voilà's page, which runs the notebook itself
    }
    tracker.widgetAdded.connect((_, panel) => {
      void setUp(app, panel).catch(reason => {
        console.error('Reconnect: could not run the notebook on open', reason);
      });
    });
  }
};

export default plugin;
