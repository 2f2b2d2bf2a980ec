// 大屏：订阅服务器推送（EventSource），每次变化替换看板；断线后自动重连，无需刷新页面。
(function () {
  "use strict";
  var board = document.getElementById("board");
  var link = document.getElementById("link");
  if (!board || !window.EventSource) { return; }
  var url = board.getAttribute("data-stream");

  function connect() {
    var source = new window.EventSource(url);
    source.onopen = function () { link.textContent = ""; link.className = "link"; };
    source.onmessage = function (event) {
      var status;
      try { status = JSON.parse(event.data); } catch (e) { return; }
      if (typeof status.html === "string") { board.innerHTML = status.html; }
      board.setAttribute("data-updated", String(Date.now()));
    };
    source.onerror = function () {
      link.textContent = "连接中断，正在重新连接……";
      link.className = "link down";
      if (source.readyState === 2) {
        source.close();
        window.setTimeout(connect, 3000);
      }
    };
  }
  connect();
})();
