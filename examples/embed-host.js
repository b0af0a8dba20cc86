// Where the embeds are served from. Here it is this same server; on another site it is the
// origin of the kafka-election page (for example https://YOUR-HOST).
const EMBED_ORIGIN = location.origin;
const frames = () => [...document.querySelectorAll('iframe[data-kafka-election]')];

window.addEventListener('message', (event) => {
  if (event.origin !== EMBED_ORIGIN) return; // anyone else's messages are ignored
  const msg = event.data;
  if (!msg || msg.type !== 'kafka-election:height' || !Number.isFinite(msg.height)) return;
  // The frame that sent it (msg.frame names it too, for hosts that prefer names).
  const frame = frames().find((f) => f.contentWindow === event.source);
  if (frame) frame.style.height = `${Math.ceil(msg.height)}px`;
});

for (const button of document.querySelectorAll('.jump button')) {
  button.addEventListener('click', () => {
    for (const f of frames()) f.contentWindow.postMessage({ type: 'kafka-election:seek', t: Number(button.dataset.t) }, EMBED_ORIGIN);
  });
}
