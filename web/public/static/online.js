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
  if (root.getAttribute("data-signed-in") !== "yes" || !window.SanminOutbox) { return; }

  // ---- 评分 ------------------------------------------------------------------------------------
  var editing = {};
  var outbox = window.SanminOutbox(
    root.getAttribute("data-tag"),
    document.querySelector('meta[name="csrf-token"]').getAttribute("content"),
    { changed: showNet, settled: settled, refused: refused,
      ballots: "/api/online/" + encodeURIComponent(root.getAttribute("data-round")) + "/ballots" }
  );

  function sectionOf(dept) { return document.getElementById("dept-" + dept); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function formatReceipt(code) { return code ? code.slice(0, 5) + " " + code.slice(5) : ""; }

  function chosen(form) {
    var pressed = form.querySelector('.level[aria-pressed="true"]');
    if (pressed) { return { choice: pressed.getAttribute("data-choice"), label: pressed.textContent.trim() }; }
    var ranges = form.querySelectorAll("input[type=range]");
    if (!ranges.length) { return null; }
    var scores = {}, parts = [];
    for (var i = 0; i < ranges.length; i += 1) {
      if (ranges[i].getAttribute("data-touched") !== "1") { return null; }
      scores[ranges[i].getAttribute("data-criterion")] = parseInt(ranges[i].value, 10);
      parts.push(ranges[i].getAttribute("data-label") + " " + ranges[i].value + " 分");
    }
    return { choice: "scored", scores: scores, label: parts.join("，") };
  }

  function render(dept) {
    var section = sectionOf(dept);
    var form = section.querySelector("form.ballot");
    if (!form) { return; }
    var rec = outbox.records()[dept];
    var outcome = section.querySelector(".outcome");
    outcome.textContent = "";
    outcome.className = "outcome";
    outcome.hidden = !rec;
    form.hidden = Boolean(rec && rec.status !== "refused" && !editing[dept]);
    if (!rec) { return; }
    if (rec.status === "pending") {
      outcome.classList.add("pending");
      outcome.appendChild(el("p", "big-status", "待发送"));
      outcome.appendChild(el("p", "", "您的评价「" + rec.label + "」已保存在本机，网络恢复后会自动发送，不会重复计算。"));
    } else if (rec.status === "sent") {
      outcome.classList.add("sent");
      outcome.appendChild(el("p", "big-status", "已提交 ✓"));
      outcome.appendChild(el("p", "", "您的评价：" + rec.label));
      var receipt = el("p", "receipt", "回执码 ");
      receipt.appendChild(el("strong", "", formatReceipt(rec.receipt)));
      outcome.appendChild(receipt);
    } else {
      outcome.classList.add("refused");
      outcome.appendChild(el("p", "big-status", "未能提交"));
      outcome.appendChild(el("p", "", rec.message || "提交未被接受"));
    }
    if (rec.status !== "refused") {
      var change = el("button", "change", "修改评分");
      change.type = "button";
      change.addEventListener("click", function () { editing[dept] = true; render(dept); });
      outcome.appendChild(change);
    }
  }

  function announce(dept) {
    var rec = outbox.records()[dept];
    var name = "「" + sectionOf(dept).getAttribute("data-name") + "」";
    document.getElementById("announce").textContent = !rec ? ""
      : rec.status === "pending" ? name + "待发送：已保存在本机，网络恢复后会自动发送。"
      : rec.status === "sent" ? name + "已提交，回执码 " + formatReceipt(rec.receipt) + "。"
      : name + "未能提交：" + (rec.message || "提交未被接受");
  }

  function showNet() {
    var net = document.getElementById("net");
    var waiting = outbox.count();
    net.className = "net";
    net.textContent = "";
    if (outbox.state.signedOut) {
      net.classList.add("alert");
      net.textContent = "登录已失效。未发送的评分保存在本机，请重新打开邀请链接或验证手机后自动发送。";
    } else if (waiting && (outbox.state.failing || !navigator.onLine)) {
      net.classList.add("alert");
      net.textContent = "网络已断开：有 " + waiting + " 项待发送，已保存在本机，网络恢复后会自动发送。";
    } else if (waiting) {
      net.textContent = "正在发送 " + waiting + " 项……";
    }
    net.hidden = !net.textContent;
  }

  function onSubmit(event) {
    event.preventDefault();
    var form = event.target;
    var dept = form.getAttribute("data-department");
    var message = form.querySelector(".form-message");
    var picked = chosen(form);
    if (!picked) {
      message.textContent = form.querySelector("input[type=range]") ? "请为每一项指标打分，或选择“不了解”" : "请先选择一项评价";
      message.hidden = false;
      return;
    }
    message.hidden = true;
    var ballot = { department: dept, client_id: outbox.newId(), choice: picked.choice,
      comment: form.querySelector("textarea[name=comment]").value.trim() };
    if (picked.scores) { ballot.scores = picked.scores; }
    outbox.setRecord(dept, { status: "pending", label: picked.label, client_id: ballot.client_id, choice: picked.choice });
    editing[dept] = false;
    render(dept);
    announce(dept);
    outbox.enqueue([{ kind: "ballot", dept: dept, body: ballot, label: picked.label }]);
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

  function refused(item, error) {
    var rec = outbox.records()[item.dept];
    if (!rec || rec.client_id !== item.body.client_id) { return; }
    rec.status = "refused";
    rec.message = error.message || "提交未被接受";
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.level") : null;
    if (!button) { return; }
    Array.prototype.forEach.call(button.form.querySelectorAll("button.level"), function (b) {
      b.setAttribute("aria-pressed", b === button && b.getAttribute("aria-pressed") !== "true" ? "true" : "false");
    });
    button.form.querySelector(".form-message").hidden = true;
  });
  document.addEventListener("input", function (event) {
    var range = event.target;
    if (range.type !== "range") { return; }
    range.setAttribute("data-touched", "1");
    range.parentNode.querySelector("output").textContent = range.value + " 分";
  });
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
