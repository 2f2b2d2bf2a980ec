// 离线外壳：网络不通时 /r 由服务工作线程换成这个通用页面。这里放回上次在线时本机保存的评分页面
// （不含代表姓名），之后由 outbox.js、tablet.js 照常显示待发送的评分，并在网络恢复后发送。
(function () {
  "use strict";
  var saved = null;
  try {
    var tag = window.localStorage.getItem("sanmin:v1:current");
    var text = tag && window.localStorage.getItem("sanmin:v1:" + tag + ":shell");
    saved = text ? JSON.parse(text) : null;
  } catch (e) { saved = null; }
  var slot = document.getElementById("shell-slot");
  if (saved && saved.html) {
    document.querySelector('meta[name="csrf-token"]').setAttribute("content", saved.csrf || "");
    var holder = document.createElement("div");
    holder.innerHTML = saved.html;
    slot.parentNode.replaceChild(holder.firstElementChild || holder, slot);
  } else {
    document.getElementById("shell-empty").hidden = false;
  }
  function online() {
    if (!saved) { window.location.reload(); return; }
    document.getElementById("offline-note").hidden = true;
  }
  window.addEventListener("online", online);
  if (navigator.onLine && !saved) { window.setTimeout(online, 5000); }
})();
