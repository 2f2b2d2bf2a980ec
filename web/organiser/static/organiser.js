// 组织方控制台：带 data-refresh 的页面定时刷新，正在填写表单时不刷新。
(function () {
  "use strict";
  var marker = document.querySelector("[data-refresh]");
  if (!marker) { return; }
  var seconds = parseInt(marker.getAttribute("data-refresh"), 10) || 15;
  function busy() {
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { return true; }
    var fields = document.querySelectorAll("input[name=reason], textarea");
    for (var i = 0; i < fields.length; i += 1) { if (fields[i].value) { return true; } }
    return false;
  }
  window.setInterval(function () { if (!busy()) { window.location.reload(); } }, seconds * 1000);
})();
