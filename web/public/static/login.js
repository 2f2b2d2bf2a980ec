// 扫码登录：评议卡的二维码打开 /login#code=…（井号后的部分不发往服务器）。本脚本把登录码从地址栏和浏览历史中
// 去掉，再用 POST 提交；旧卡的 /login?code=… 由服务器放进表单，同样去掉地址后立即提交。无内联脚本（CSP）。
(function () {
  "use strict";
  var scanned = document.getElementById("scanned");
  var fragment = "";
  try { fragment = decodeURIComponent(window.location.hash || ""); } catch (e) { fragment = ""; }
  var match = /^#code=([A-Za-z0-9 -]{1,64})$/.exec(fragment);
  if (scanned || match || window.location.search.indexOf("code=") >= 0) {
    window.history.replaceState(null, "", "/login");
  }
  if (scanned) {
    scanned.submit();
    return;
  }
  var typed = document.getElementById("typed");
  if (match && typed) {
    typed.querySelector("input[name=code]").value = match[1];
    typed.submit();
  }
})();
