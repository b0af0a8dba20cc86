// If the page's modules never start (index.html opened from the disk, where browsers refuse ES
// modules and WebAssembly, or a file that failed to load), say so instead of a blank page. The
// locale files cannot be fetched then either, so this one message carries both languages.
window.addEventListener('load', function () {
  if (document.documentElement.hasAttribute('data-ready')) return; // app.js is running
  var file = location.protocol === 'file:';
  var b = document.getElementById('error-banner');
  b.querySelector('strong').textContent = 'The page could not start · 페이지를 시작하지 못했습니다';
  var list = document.getElementById('error-list');
  [file
    ? 'Browsers do not run this page from a file opened from the disk. Serve its folder instead (for example: python3 -m http.server 8080 in this folder) and open http://localhost:8080/.'
    : 'Its scripts did not load. Reload the page; if it keeps failing, check that the www/ folder (with www/pkg/) is published beside index.html and that the browser supports WebAssembly.',
   file
    ? '브라우저는 디스크에서 직접 연 파일로는 이 페이지를 실행하지 않습니다. 이 폴더를 웹 서버로 띄운 뒤(예: 이 폴더에서 python3 -m http.server 8080) http://localhost:8080/ 으로 여세요.'
    : '스크립트를 불러오지 못했습니다. 페이지를 새로 고쳐 보세요. 계속 실패하면 index.html 옆에 www/ 폴더(www/pkg/ 포함)가 게시되었는지, 브라우저가 WebAssembly를 지원하는지 확인하세요.'
  ].forEach(function (text) { list.appendChild(document.createElement('li')).textContent = text; });
  var close = document.getElementById('error-close');
  close.setAttribute('aria-label', 'Dismiss · 닫기');
  close.addEventListener('click', function () { b.hidden = true; });
  b.hidden = false;
});
