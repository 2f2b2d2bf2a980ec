// 意见分拣的快捷键：j/k 上下移动，x 勾选，m 合并，t 分类，n 非意见，a 交办。正在输入时不响应。
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.opinion"));
  var current = -1;
  function focus(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rows[current].focus();
  }
  function field(id) {
    var element = document.getElementById(id);
    if (element) { element.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox") { return; }
    var key = event.key;
    if (key === "j") { focus(current + 1); }
    else if (key === "k") { focus(current - 1); }
    else if (key === "x" && current >= 0) {
      var box = rows[current].querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; }
    }
    else if (key === "m") { var merge = document.getElementById("merge"); if (merge) { merge.click(); } }
    else if (key === "t") { field("theme"); }
    else if (key === "n") { field("reason"); }
    else if (key === "a") { field("lead"); }
    else { return; }
    event.preventDefault();
  });
})();
