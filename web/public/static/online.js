// 网络评议页面：邀请链接登录（井号后的邀请码不发往服务器，本脚本从地址栏去掉后用 POST 提交），
// 选择等次、提交（经 outbox.js 的待发送队列：同一个 client_id 重发只计一次），显示“待发送 / 已提交 / 未能提交”。
(function () {
  "use strict";
  var root = document.getElementById("online");
  if (!root) { return; }

  // ---- 邀请链接 ----------------------------------------------------------------------------------
  var fragment = "";
  try { fragment = decodeURIComponent(window.location.hash || ""); } catch (e) { fragment = ""; }
  var match = /^#code=([A-Za-z0-9 -]{1,64})$/.exec(fragment);
  if (match) {
    window.history.replaceState(null, "", window.location.pathname);
    var invitation = document.getElementById("invitation");
    if (invitation && root.getAttribute("data-signed-in") !== "yes") {
      invitation.querySelector("input[name=code]").value = match[1];
      invitation.submit();
      return;
    }
  }
  // 已打开本页时再点短信中的链接，浏览器只改井号部分、不重新加载：重新加载，由服务器判断是否仍在登录中。
  window.addEventListener("hashchange", function () {
    if (/^#code=/.test(window.location.hash)) { window.location.reload(); }
  });
  if (root.getAttribute("data-signed-in") !== "yes" || !window.SanminOutbox || !window.SanminBallot) { return; }
  var shared = window.SanminBallot; // ballot_page.js

  // ---- 评分 ------------------------------------------------------------------------------------
  var editing = {};
  var outbox = window.SanminOutbox(
    root.getAttribute("data-tag"),
    document.querySelector('meta[name="csrf-token"]').getAttribute("content"),
    { changed: showNet, settled: settled, refused: refused,
      ballots: "/api/online/" + encodeURIComponent(root.getAttribute("data-round")) + "/ballots" }
  );

  function sectionOf(dept) { return document.getElementById("dept-" + dept); }

  function render(dept) {
    var section = sectionOf(dept);
    var form = section.querySelector("form.ballot");
    if (!form) { return; }
    var rec = outbox.records()[dept];
    var outcome = section.querySelector(".outcome");
    outcome.textContent = "";
    outcome.className = "outcome";
    outcome.hidden = !rec;
    if (rec && rec.status === "refused") { outcome.setAttribute("role", "alert"); } else { outcome.removeAttribute("role"); }
    form.hidden = Boolean(rec && rec.status !== "refused" && !editing[dept]);
    if (!rec) { return; }
    shared.describe(outcome, rec, false, rec.status !== "refused" && function () { editing[dept] = true; render(dept); });
  }

  function announce(dept) {
    var rec = outbox.records()[dept];
    document.getElementById("announce").textContent = rec ? shared.announcement(sectionOf(dept).getAttribute("data-name"), rec) : "";
  }

  function showNet() {
    shared.showNet(outbox, "登录已失效。未发送的评分保存在本机：请再点一次短信中的邀请链接（评议期间可以反复使用），或重新验证手机号，登录后自动发送。");
  }

  function onSubmit(event) {
    event.preventDefault();
    var picked = shared.ballotFrom(event.target, outbox);
    if (!picked) { return; }
    var dept = picked.dept;
    outbox.setRecord(dept, { status: "pending", label: picked.label, client_id: picked.ballot.client_id, choice: picked.choice });
    editing[dept] = false;
    render(dept);
    announce(dept);
    outbox.enqueue([{ kind: "ballot", dept: dept, body: picked.ballot, label: picked.label }]);
  }

  function settled(item, data) {
    var rec = outbox.records()[item.dept];
    if (!rec || rec.client_id !== item.body.client_id) { return; }
    rec.status = "sent";
    rec.receipt = data.receipt;
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
  }

  // 不在网络评议范围：服务器的话里只有部门编号（同 tablet.js），按错误码用本页的部门名来说。
  function refusalText(dept, error) {
    var name = sectionOf(dept) && sectionOf(dept).getAttribute("data-name");
    if (error.code === "not_online" && name) { return "「" + name + "」已不在本次网络评议的范围内，这次评分没有被接收。"; }
    return error.message || "提交未被接受";
  }

  function refused(item, error) {
    var rec = outbox.records()[item.dept];
    if (!rec || rec.client_id !== item.body.client_id) { return; }
    rec.status = "refused";
    rec.message = refusalText(item.dept, error);
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
    shared.reveal(sectionOf(item.dept).querySelector(".outcome"), true); // 拒绝可能在别处滚动时才到：滚到眼前
  }

  shared.listenChoices();
  Array.prototype.forEach.call(document.querySelectorAll("form.ballot"), function (form) {
    form.addEventListener("submit", onSubmit);
    var dept = form.getAttribute("data-department");
    var rec = outbox.records()[dept];
    var earlier = rec && rec.choice !== "scored" && form.querySelector('button.level[data-choice="' + rec.choice + '"]');
    if (earlier) { earlier.setAttribute("aria-pressed", "true"); }
    render(dept);
  });
  window.addEventListener("offline", showNet);
  showNet();
  outbox.retryNow();
})();
