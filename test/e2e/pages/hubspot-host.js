// HubSpot's side of the Calling Extensions SDK, spoken by hand (not with the
// SDK) so the wire format is pinned here: the shapes are those of
// @hubspot/calling-extensions-sdk's IFrameManager and Constants.
//  - SYNC {hostUrl, portalId, userId, ownerId, iframeLocation, usesCallingWindow}
//    every 100 ms after the frame loads, until the app answers SYNC_ACK with the same messageId;
//  - then every message is {type, data, messageId} to the frame's origin;
//    the app's messages come with messageIds of its own.
// ?widget=<url of the calling app's page>
(() => {
  const received = [];
  let frame;
  let origin;
  let n = 0;
  const messageId = () => `hubspot-host_${++n}`;
  const send = (message) => frame.contentWindow.postMessage({ ...message, messageId: message.messageId ?? messageId() }, origin);

  window.addEventListener('message', (e) => {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    const message = e.data;
    received.push({ type: message.type, data: message.data, messageId: message.messageId });
    // HubSpot creates the call's engagement when told of an outgoing or incoming call.
    if ((message.type === 'OUTGOING_CALL_STARTED' || message.type === 'INCOMING_CALL') && message.data?.createEngagement) {
      send({ type: 'CREATE_ENGAGEMENT_SUCCEEDED', data: { engagementId: 4242 } });
    }
  });

  window.addEventListener('DOMContentLoaded', () => {
    const src = new URL(location.href).searchParams.get('widget');
    origin = new URL(src).origin;
    frame = document.createElement('iframe');
    // As HubSpot frames a calling app.
    frame.allow = 'microphone; autoplay';
    frame.width = '300';
    frame.height = '520';
    frame.onload = () => {
      const sync = {
        type: 'SYNC',
        messageId: messageId(),
        hostUrl: location.origin,
        portalId: 123,
        userId: 7,
        ownerId: 7,
        iframeLocation: 'widget',
        usesCallingWindow: true,
      };
      const again = () => {
        if (received.some((m) => m.type === 'SYNC_ACK')) return;
        send(sync);
        setTimeout(again, 100);
      };
      again();
    };
    frame.src = src;
    document.getElementById('calling-widget').append(frame);
  });

  window.hubspot = {
    received,
    types: () => received.map((m) => m.type),
    /** The data of the first message of `type`, once it has arrived. */
    waitFor(type, timeout = 15000) {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find((m) => m.type === type);
          if (found) resolve(found.data ?? null);
          else if (Date.now() - started > timeout) reject(new Error(`no ${type} in ${timeout} ms; got ${received.map((m) => m.type).join(', ')}`));
          else setTimeout(check, 20);
        };
        check();
      });
    },
    /** What HubSpot sends when the user clicks a contact's number. */
    dial: (phoneNumber) =>
      send({
        type: 'DIAL_NUMBER',
        data: {
          phoneNumber,
          ownerId: 7,
          objectId: 901,
          objectType: 'CONTACT',
          portalId: 123,
          subjectId: 901,
          startTimestamp: Date.now(),
          toPhoneNumberSrc: 'phone',
        },
      }),
    /** What HubSpot sends when the user ends the call in HubSpot's UI. */
    endCall: () => send({ type: 'END_CALL' }),
  };
})();
