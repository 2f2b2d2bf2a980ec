// 代表评议页面的“外壳”部分：大字开关（每台平板记住自己的选择）、离线外壳所需的本机副本，
// 以及注册服务工作线程（/sw.js），让页面在断网时刷新也能打开。须在 tablet.js 之前加载。
(function () {
  "use strict";
  var LARGE = "sanmin:large-text";

  function remembered(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function remember(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* 存储不可用：只在本页有效 */ }
  }

  // ---- 大字 -------------------------------------------------------------------------------------
  function applyLarge(on) {
    document.documentElement.classList.toggle("large-text", on);
    var toggle = document.getElementById("large-text");
    if (toggle) { toggle.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  applyLarge(remembered(LARGE) === "1");
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("#large-text") : null;
    if (!toggle) { return; }
    var on = toggle.getAttribute("aria-pressed") !== "true";
    remember(LARGE, on ? "1" : null);
    applyLarge(on);
  });

  // ---- 离线外壳的本机副本：不含代表姓名，只有评分页面的部门、选项和本次登录的 CSRF 令牌 -------------
  var root = document.getElementById("tablet");
  var live = root && !document.body.hasAttribute("data-shell");
  if (live) {
    var copy = root.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".seat"), function (node) { node.parentNode.removeChild(node); });
    var tag = root.getAttribute("data-tag");
    var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
    var save = function () {
      if (root.hasAttribute("data-forgotten")) { return; } // 会话已结束：不再留副本（tablet.js）
      remember("sanmin:v1:" + tag + ":shell", JSON.stringify({ html: copy.outerHTML, csrf: csrf }));
    };
    remember("sanmin:v1:current", tag);
    save();
    // 评分窗口随服务器推送而开、关：副本跟着改，断网刷新后看到的是最后知道的状态。
    new window.MutationObserver(function (changes) {
      changes.forEach(function (change) {
        var twin = copy.querySelector("#" + window.CSS.escape(change.target.id));
        if (twin) { twin.setAttribute("data-window", change.target.getAttribute("data-window")); }
      });
      save();
    }).observe(root, { subtree: true, attributes: true, attributeFilter: ["data-window"] });
  }

  if (live && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/r" }).catch(function () { /* 不支持：仅在线可用 */ });
  }
})();
