// First-render probe (first-render.html): watches paint timing and every
// frame until the widget's launcher exists, then reports, on the page's
// performance.now() clock:
//   scriptStart  the mark just before <script src="voice-widget.min.js">
//   fetchStart / responseEnd  that script's resource timing
//   scriptEnd    the mark just after it (downloaded, parsed, run)
//   launcherFrame  start of the first frame in which the launcher is in the shadow DOM with a size
//   fcp          first-contentful-paint (the launcher is the only content)
// window.firstRender resolves with them.
(() => {
  'use strict';
  let fcp = null;
  let resolveFcp;
  const fcpSeen = new Promise((r) => (resolveFcp = r));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'first-contentful-paint' && fcp === null) {
        fcp = e.startTime;
        resolveFcp();
      }
    }
  }).observe({ type: 'paint', buffered: true });

  let launcherFrame = null;
  let afterFrame = null;
  let resolveLauncher;
  const launcherSeen = new Promise((r) => (resolveLauncher = r));
  const launcher = () => document.querySelector('voice-widget')?.shadowRoot?.querySelector('[part~="launcher"]');
  const frame = (ts) => {
    const l = launcher();
    if (l && l.getBoundingClientRect().width > 0) {
      launcherFrame = ts;
      // Just after this frame's rendering work: a task queued from the rAF callback.
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        afterFrame = performance.now();
        resolveLauncher();
      };
      ch.port2.postMessage(0);
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  const timeout = (ms) => new Promise((r) => setTimeout(r, ms));
  window.firstRender = Promise.all([Promise.race([launcherSeen, timeout(10000)]), Promise.race([fcpSeen, timeout(10000)])]).then(() => {
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null;
    const res = performance.getEntriesByType('resource').find((e) => /\/voice-widget\.min\.js$/.test(new URL(e.name).pathname));
    return {
      scriptStart: mark('vw-script-start'),
      scriptEnd: mark('vw-script-end'),
      fetchStart: res ? res.startTime : null,
      responseEnd: res ? res.responseEnd : null,
      transferSize: res ? res.transferSize : null,
      launcherFrame,
      afterFrame,
      fcp,
    };
  });
})();
