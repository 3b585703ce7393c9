'use strict';
// Stands in for JsSIP's Message, Subscriber and Notifier (lib/UA.js requires
// them) in the script-tag build. Safe because they are only created by
// UA.sendMessage()/subscribe()/notify(), which the widget never calls, or for
// an incoming MESSAGE/SUBSCRIBE when a `newMessage`/`newSubscribe` listener is
// attached; with none (the widget attaches none), UA.receiveRequest answers
// 405 before reaching them. ReferSubscriber/ReferNotifier (transfers) are
// other modules and stay.
// Guarded by test/node/jssip-trims.test.js (who requires them; what we listen to).
class LeftOut {
  constructor() {
    throw new Error('voice-widget: this build of JsSIP leaves out SIP MESSAGE and SUBSCRIBE/NOTIFY (see build/jssip-trims/README.md)');
  }
  static init_incoming(request) {
    request.reply(405);
  }
}

module.exports = LeftOut;
