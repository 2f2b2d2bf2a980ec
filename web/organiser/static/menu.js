// 组织方菜单：手机上菜单是一行、可左右滑动（organiser.css），打开页面时把本页的菜单项滑到可见处。
(function () {
  "use strict";
  var nav = document.querySelector(".console-head nav");
  var here = nav && nav.querySelector('[aria-current="page"]');
  if (!here || nav.scrollWidth <= nav.clientWidth) { return; }
  var left = here.getBoundingClientRect().left - nav.getBoundingClientRect().left;
  nav.scrollLeft += left - (nav.clientWidth - here.offsetWidth) / 2;
})();
