// 交还平板：代表离开时点“交还平板”，或平板闲置（无触摸、无按键）超过设定的分钟数，本机即清除这位代表的
// 选择和草稿，并退出登录。还有评分待发送时不丢：先遮住页面（看不到任何人的选择），待发送的评分发完后再退出。
// 须在 tablet.js 之后加载。
(function () {
  "use strict";
  var root = document.getElementById("tablet");
  var tablet = window.SanminTablet;
  if (!root || !tablet) { return; }
  var idleMinutes = parseFloat(root.getAttribute("data-idle-minutes") || "0");
  var handedBack = false;
  var idleTimer = null;

  function signOut() {
    var form = document.getElementById("logout");
    if (form) { HTMLFormElement.prototype.submit.call(form); } // 不经 tablet.js 的“还有待发送”检查
  }

  function line(parent, tag, text, id) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (id) { node.id = id; }
    parent.appendChild(node);
    return node;
  }

  // 遮住整页（也在离线外壳里）：只说平板已交还，没有“继续”——下一位须用自己的评议卡登录。
  function cover() {
    var box = document.createElement("section");
    box.id = "handback-cover";
    box.className = "handback-cover";
    box.setAttribute("role", "status");
    line(box, "h1", "平板已交还");
    line(box, "p", "上一位代表的评价已从本机清除。");
    line(box, "p", "", "handback-waiting");
    line(box, "p", "下一位代表请用自己的评议卡扫码或输入登录码登录。");
    root.parentNode.insertBefore(box, root);
  }

  function waitThenSignOut() {
    var waiting = tablet.outbox.count();
    if (!waiting) { signOut(); return; }
    document.getElementById("handback-waiting").textContent =
      "还有 " + waiting + " 项评分待发送，已保存在本机；发送完成后自动退出。";
    window.setTimeout(waitThenSignOut, 1000);
  }

  function handBack() {
    if (handedBack) { return; }
    handedBack = true;
    window.clearTimeout(idleTimer);
    tablet.forgetPerson();
    cover();
    root.hidden = true;
    waitThenSignOut();
  }

  function restartIdle() {
    if (handedBack || !(idleMinutes > 0)) { return; }
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(handBack, idleMinutes * 60000);
  }

  var button = document.getElementById("hand-back");
  if (button) { button.addEventListener("click", handBack); }
  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (kind) {
    document.addEventListener(kind, restartIdle, { passive: true });
  });
  restartIdle();
  window.SanminTablet.handBack = handBack;
})();
