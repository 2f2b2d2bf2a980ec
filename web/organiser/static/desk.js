// 签到台：「签到」先用 fetch 提交。网络断了时页面留在原处，在这一行醒目地说签到未保存、可以再点一次；
// 服务器答复了（签到成功、被拒绝、登录已失效……）就显示它答复的页面，和普通提交一样。没有脚本时是普通的表单提交。
(function () {
  "use strict";
  var OFFLINE = "网络中断，签到未保存，请恢复网络后重试";

  function say(form, text) {
    var note = form.parentNode.querySelector(".desk-alert");
    if (!note) {
      note = document.createElement("p");
      note.className = "desk-alert";
      note.setAttribute("role", "alert");
      form.parentNode.insertBefore(note, form);
    }
    note.textContent = text;
  }

  function show(response) {
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      document.title = page.title;
      document.body.replaceWith(page.body);
      window.history.replaceState(null, "", response.url);
      window.scrollTo(0, 0);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("check-in") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button.disabled) { return; }
    button.disabled = true;
    window.fetch(form.action, {
      method: "POST", credentials: "same-origin",
      body: new URLSearchParams(new FormData(form))
    }).then(show, function () {
      button.disabled = false;
      say(form, OFFLINE);
    });
  });
})();
