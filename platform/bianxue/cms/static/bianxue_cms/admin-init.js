/*
 * bx-init: starts Wagtail's admin widgets (choosers, date pickers, inline panels) without inline <script>, so
 * the CMS admin runs under the site's content security policy (script-src 'self'). The server writes
 *   <span hidden data-controller="bx-init" data-bx-init-construct-value="SnippetChooser"
 *         data-bx-init-args-value='["id_provider", {...}]'></span>
 * where Wagtail wrote <script>new SnippetChooser("id_provider", {...})</script> (bianxue/cms/widgets.py).
 * Only the names below are called. Stimulus connects elements added later too (inline panel forms, modals);
 * an element is started once, even when it is moved (inline panel ordering disconnects and reconnects it).
 */
(() => {
  const CONSTRUCTORS = new Set([
    'Chooser', 'PageChooser', 'SnippetChooser', 'ImageChooser', 'DocumentChooser',
    'InlinePanel', 'MultipleChooserPanel',
  ]);
  const FUNCTIONS = new Set(['initDateChooser', 'initTimeChooser', 'initDateTimeChooser', 'createTaskChooser']);
  const started = new WeakSet();

  class InitController extends window.StimulusModule.Controller {
    static values = { construct: String, call: String, args: Array };

    connect() {
      if (started.has(this.element)) return;
      started.add(this.element);
      // Widget scripts (form media) are all loaded by DOMContentLoaded; inline scripts ran in place before.
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => this.start(), { once: true });
      } else {
        this.start();
      }
    }

    start() {
      const name = this.constructValue || this.callValue;
      const target = window[name];
      if (typeof target !== 'function' || !(this.constructValue ? CONSTRUCTORS : FUNCTIONS).has(name)) {
        throw new Error(`bx-init: ${name} is not a known Wagtail initialiser`);
      }
      if (this.constructValue) {
        new target(...this.argsValue); // eslint-disable-line no-new, new-cap
      } else {
        target(...this.argsValue);
      }
    }
  }

  window.wagtail.app.register('bx-init', InitController);
})();
