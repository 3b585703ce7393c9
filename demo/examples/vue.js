// Vue 3 with <voice-widget>: tell the compiler the tag is a custom element,
// bind properties with `.prop` (Vue would guess, but `open` shows why not to
// leave it to guessing) and listen with `@call-ended` like any DOM event.
import { createApp, onMounted, ref } from 'vue';
import 'voice-widget'; // registers <voice-widget>

// The demo's "logged-in" user; a real app knows it from its session.
const user = new URLSearchParams(location.search).get('user') ?? 'alice';

// The host backend (demo/host-backend.js) asks the token service; the API key stays there.
async function fetchToken() {
  const response = await fetch(`/demo/api/token?user=${encodeURIComponent(user)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

const app = createApp({
  setup() {
    const phone = ref(null);
    const sipServer = ref(null);
    const token = ref(null);
    const state = ref('loading');
    const lastCall = ref(null);
    onMounted(async () => {
      try {
        const [config, fresh] = await Promise.all([fetch('/demo/api/config').then((r) => r.json()), fetchToken()]);
        sipServer.value = config.sipServer;
        token.value = fresh;
      } catch (e) {
        state.value = e.message;
      }
    });
    return {
      user,
      phone,
      sipServer,
      token,
      state,
      lastCall,
      canCall: () => ['ready', 'completed', 'failed'].includes(state.value),
      // Only a token that ran out is replaced; a revoked or refused one means "no".
      async onTokenExpired(e) {
        if (e.detail.reason === 'expired') token.value = await fetchToken();
      },
    };
  },
  // `open` is a boolean property (the methods are show(), hide() and toggle()), so Vue may set it as one.
  template: `
    <main>
      <section class="app">
        <h1>Vue 3</h1>
        <p class="hint">Logged in as {{ user }}. The button and the lines below are Vue's; the phone is &lt;voice-widget&gt;. Answer as Bob on the <a href="../">demo page</a>.</p>
        <p>Phone: <strong id="state">{{ state }}</strong></p>
        <button id="call-bob" :disabled="!canCall()" @click="phone.call('bob')">Call bob</button>
        <p id="last-call">
          <template v-if="lastCall">Last call: {{ lastCall.number }}, {{ lastCall.cause }}, {{ lastCall.duration.toFixed(1) }} s</template>
          <template v-else>Last call: none yet</template>
        </p>
      </section>
      <voice-widget
        v-if="sipServer"
        ref="phone"
        :sipServer.prop="sipServer"
        :token.prop="token"
        :open.prop="true"
        :window-title="'Vue · ' + user"
        @state-change="state = phone.getState()"
        @call-ended="lastCall = $event.detail"
        @token-expired="onTokenExpired"
      ></voice-widget>
    </main>`,
});
// Without this, Vue would try to resolve <voice-widget> as a Vue component and warn.
app.config.compilerOptions.isCustomElement = (tag) => tag === 'voice-widget';
app.mount('#app');
