// 代表评议页面：选择等次、提交（经 outbox.js 的待发送队列）、显示“待发送 / 已提交 / 未能提交”，
// 并跟随服务器推送的评分窗口状态（无需刷新）。无框架，无内联脚本。
(function () {
  "use strict";
  var root = document.getElementById("tablet");
  if (!root || !window.SanminOutbox || !window.SanminBallot) { return; }
  var shared = window.SanminBallot; // ballot_page.js
  var WINDOW_LABELS = { open: "评分中", closed: "评分已结束", pending: "尚未开始" };
  var NEVER_SCORED = "本次未评分"; // 评议结束时从未开始评分的部门
  var editing = {};
  var forgotten = false;
  var heard = 0; // 收到推送的次数：推送到达之后，此前发出的状态查询的应答已旧，不再用它的窗口状态
  var outbox = window.SanminOutbox(
    root.getAttribute("data-tag"),
    document.querySelector('meta[name="csrf-token"]').getAttribute("content"),
    { changed: changed, settled: settled, refused: refused }
  );

  // 会话结束（登录失效、退出、交还平板）：本机不再留这位代表的选择和草稿；待发送的评分留在队列里，照发不误。
  function forgetPerson() {
    forgotten = true;
    root.setAttribute("data-forgotten", "1"); // shell.js 不再保存离线副本
    outbox.forget();
    editing = {};
    Array.prototype.forEach.call(document.querySelectorAll("form.ballot"), function (form) {
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll("button.level"), function (b) { b.setAttribute("aria-pressed", "false"); });
      Array.prototype.forEach.call(form.querySelectorAll("input[type=range]"), function (r) {
        r.removeAttribute("data-touched");
        r.parentNode.querySelector("output").textContent = "请拖动";
      });
      form.querySelector(".form-message").hidden = true;
    });
    renderAll();
  }
  function changed() {
    if (outbox.state.signedOut && !forgotten) { forgetPerson(); return; }
    showNet();
  }

  function sectionOf(dept) { return document.getElementById("dept-" + dept); }
  function allSections() { return Array.prototype.slice.call(document.querySelectorAll("section.dept")); }

  // 部门名：本页这个部门栏目上的；栏目已不在（场次调整后重新载入了页面）时，用提交时随评分存下的名字。
  function nameOf(dept, saved) {
    var section = sectionOf(dept);
    return (section && section.getAttribute("data-name")) || (saved && saved.name) || "";
  }

  // 评分已结束、不在本场次：服务器的话里只有部门编号（投票通道不为拒绝多读一次数据库），
  // 所以按稳定的错误码和部门编号，用本页知道的部门名来说；编号不给代表看。
  function refusalText(item, error) {
    var quoted = nameOf(item.dept, item) ? "「" + nameOf(item.dept, item) + "」" : "这个部门";
    var what = item.kind === "suggestion" ? "这条留名建议" : "这次评分";
    if (error.code === "window_closed") { return quoted + "的评分已结束，" + what + "没有被接收。"; }
    if (error.code === "not_in_sitting") { return quoted + "不在您参加的场次，" + what + "没有被接收。"; }
    return (item.kind === "suggestion" ? "留名建议未能提交：" : "") + (error.message || "提交未被接受");
  }

  // ---- 显示 ------------------------------------------------------------------------------------
  function render(dept) {
    var section = sectionOf(dept);
    if (!section) { return; }
    var state = section.getAttribute("data-window");
    var rec = outbox.records()[dept];
    var outcome = section.querySelector(".outcome");
    var ended = state === "pending" && root.hasAttribute("data-over");
    section.querySelector(".window-state").textContent = ended ? NEVER_SCORED : WINDOW_LABELS[state] || "";
    // 内容不变不重写（每次推送都重画各部门）：重写的“未能提交”（role=alert）读屏软件会再读一遍
    var shown = rec ? [rec.status, rec.message, rec.label, rec.receipt, rec.verdict, state].join("|") : "";
    if (outcome.getAttribute("data-shown") !== shown) {
      outcome.textContent = "";
      outcome.className = "outcome";
      if (rec) { describe(outcome, rec, state, dept); }
      outcome.setAttribute("data-shown", shown);
    }
    if (rec && rec.status === "refused") { outcome.setAttribute("role", "alert"); } else { outcome.removeAttribute("role"); }
    outcome.hidden = !rec;
    var settledOrWaiting = rec && (rec.status === "sent" || rec.status === "pending");
    section.querySelector("form.ballot").hidden = state !== "open" || (settledOrWaiting && !editing[dept]);
  }

  function describe(outcome, rec, state, dept) {
    var voided = rec.verdict === "voided";
    var changeable = state === "open" && (rec.status === "sent" || rec.status === "pending") && !voided;
    shared.describe(outcome, rec, voided, changeable && function () { editing[dept] = true; render(dept); });
  }

  // 提交后把该部门的状态框留在视野里；未能提交时连同焦点（代表可能正在看别的部门：断网后排队的评分稍后才被拒绝）。
  function reveal(dept, focus) { shared.reveal(sectionOf(dept).querySelector(".outcome"), focus); }

  function announce(dept) {
    var rec = outbox.records()[dept];
    if (!rec) { return; }
    document.getElementById("announce").textContent = shared.announcement(nameOf(dept, rec) || "这个部门", rec);
  }

  function renderAll() {
    var anyOpen = false;
    allSections().forEach(function (s) {
      render(s.getAttribute("data-department"));
      if (s.getAttribute("data-window") === "open") { anyOpen = true; }
    });
    document.getElementById("none-open").hidden = anyOpen || root.hasAttribute("data-over");
    showElsewhere();
    showNet();
  }

  // 本页已没有栏目的部门（场次调整后重新载入）：它未能提交的评分、留名建议在页面上方说明，不悄悄丢掉。
  var elsewhereNotes = [];
  function showElsewhere() {
    var box = document.getElementById("elsewhere"), recs = outbox.records(), lines = elsewhereNotes.slice();
    Object.keys(recs).forEach(function (d) {
      if (!sectionOf(d) && recs[d].status === "refused") { lines.push("未能提交：" + recs[d].message); }
    });
    box.textContent = "";
    lines.forEach(function (line) { box.appendChild(shared.el("p", "", line)); });
    box.hidden = !lines.length;
  }

  function showNet() {
    var net = shared.showNet(outbox, "登录已失效，请重新登录。未发送的评分保存在本机，重新登录后会自动发送。");
    if (outbox.state.signedOut) {
      var again = shared.el("a", "button", "重新登录");
      again.href = "/login";
      net.appendChild(again);
    } else if (!net.textContent && !navigator.onLine) { // 没有待发送的，也告诉代表断网了仍可评分
      net.classList.add("alert");
      net.textContent = "网络已断开。您仍可评分，评分会保存在本机，网络恢复后自动发送。";
      net.hidden = false;
    }
  }

  // ---- 提交与结果 --------------------------------------------------------------------------------
  function onSubmit(event) {
    event.preventDefault();
    var picked = shared.ballotFrom(event.target, outbox);
    if (!picked) { return; }
    var dept = picked.dept;
    var name = nameOf(dept); // 随评分存下：回答到来时这个部门可能已不在本页（离线队列重发）
    var added = [{ kind: "ballot", dept: dept, name: name, body: picked.ballot, label: picked.label }];
    var rec = { status: "pending", label: picked.label, client_id: picked.ballot.client_id, choice: picked.choice, name: name };
    outbox.setRecord(dept, rec);
    editing[dept] = false;
    render(dept);
    announce(dept);
    reveal(dept);
    outbox.enqueue(added);
  }

  // 留名建议是单独的一次提交，不随评分发送（服务器暂存，部门评分结束时打乱顺序一并交给部门）。
  function onSuggest(event) {
    event.preventDefault();
    var form = event.target;
    var dept = form.getAttribute("data-department");
    var box = form.querySelector("textarea[name=suggestion]");
    var text = box.value.trim();
    if (!text) { noteSuggestion(dept, "请先填写留名建议"); return; }
    outbox.enqueue([{ kind: "suggestion", dept: dept, name: nameOf(dept), body: { department: dept, client_id: outbox.newId(), text: text } }]);
    box.value = "";
    noteSuggestion(dept, "留名建议待发送");
  }

  function noteSuggestion(dept, text) {
    var note = sectionOf(dept).querySelector(".suggestion-note");
    if (!note) { return; }
    note.textContent = text;
    note.hidden = !text;
  }

  function settled(item, data) {
    if (item.kind === "suggestion") { noteSuggestion(item.dept, "留名建议已收到，将在该部门评分结束后交给部门，部门会答复您。"); return; }
    var rec = outbox.records()[item.dept];
    if (!rec) { return; }
    if (item.kind === "ballot" && rec.client_id === item.body.client_id) {
      rec.status = "sent";
      rec.receipt = data.receipt;
      delete rec.verdict;
    }
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
  }

  function refused(item, error) {
    var message = refusalText(item, error);
    if (item.kind === "suggestion") {
      if (sectionOf(item.dept)) { noteSuggestion(item.dept, message); } else { elsewhereNotes.push(message); showElsewhere(); }
      return;
    }
    var rec = outbox.records()[item.dept];
    if (!rec) { return; }
    if (item.kind === "ballot" && rec.client_id === item.body.client_id) {
      rec.status = "refused";
      rec.message = message;
    }
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    showElsewhere();
    announce(item.dept);
    if (rec.status === "refused" && sectionOf(item.dept)) { reveal(item.dept, true); }
  }

  // ---- 评分窗口与回执状态 ----------------------------------------------------------------------
  function applyWindows(windows) {
    allSections().forEach(function (s) {
      s.setAttribute("data-window", windows[s.getAttribute("data-department")] || "pending");
    });
    renderAll();
  }

  // 评议结果锁定后（锁定不可撤销）：页面说明评议已结束，收起留名建议；结果公布后给出公示页的链接。
  function applyStage(over, published) {
    if (!over) { return; }
    root.setAttribute("data-over", "1");
    document.getElementById("over").hidden = false;
    document.getElementById("over-published").hidden = !published;
    document.getElementById("intro").hidden = true;
    Array.prototype.forEach.call(document.querySelectorAll("details.signed"), function (d) { d.hidden = true; });
    renderAll();
  }

  // 窗口状态有两个来源：推送（listen）和这里的状态查询。两者的应答先后不定（网络繁忙时尤其如此）：查询时读出的
  // 状态若晚于其后的推送到达，会把已开始的评分又显示为“尚未开始”，而推送只在再有变化时才会更正它。所以查询发出
  // 之后只要收到过推送，就不用这份应答的窗口状态（推送连着时，此后的每次变化都会推送过来）。
  function refreshState() {
    var recs = outbox.records(), codes = [], asked = heard;
    Object.keys(recs).forEach(function (d) { if (recs[d].receipt) { codes.push(recs[d].receipt); } });
    window.fetch("/api/state?receipts=" + encodeURIComponent(codes.join(",")), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { outbox.state.signedOut = true; changed(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) { return; }
        var windows = {}, latest = outbox.records();
        state.departments.forEach(function (d) { windows[d.key] = d.window; });
        Object.keys(latest).forEach(function (d) {
          var known = latest[d].receipt && state.receipts[latest[d].receipt];
          if (known && known.status === "voided") { latest[d].verdict = "voided"; outbox.setRecord(d, latest[d]); }
        });
        if (heard === asked) { applyWindows(windows); } else { renderAll(); }
        applyStage(state.round.over, state.round.published);
      }, function () { /* 离线：稍后再试 */ });
  }

  function listen() {
    if (!window.EventSource) { window.setInterval(refreshState, 15000); return; }
    var source = new window.EventSource("/r/events");
    source.onmessage = function (event) {
      heard += 1;
      try {
        var data = JSON.parse(event.data);
        applyWindows(data.windows || {});
        applyStage(data.over, data.published);
      } catch (e) { /* 忽略坏消息 */ }
    };
    source.onerror = function () {
      if (source.readyState === 2) { window.setTimeout(function () { refreshState(); listen(); }, 5000); }
    };
  }

  // ---- 事件 ------------------------------------------------------------------------------------
  shared.listenChoices();
  document.addEventListener("input", function (event) { // 动了滑块就不再是“不了解”
    var range = event.target;
    if (range.type !== "range") { return; }
    var unknown = range.form.querySelector('button.level[data-choice="unknown"]');
    if (unknown) { unknown.setAttribute("aria-pressed", "false"); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("form.ballot"), function (form) {
    form.addEventListener("submit", onSubmit);
    var rec = outbox.records()[form.getAttribute("data-department")];
    var earlier = rec && rec.choice !== "scored" && form.querySelector('button.level[data-choice="' + rec.choice + '"]');
    if (earlier) { earlier.setAttribute("aria-pressed", "true"); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("form.signed-suggestion"), function (form) {
    form.addEventListener("submit", onSuggest);
  });
  document.getElementById("logout").addEventListener("submit", function (event) {
    if (outbox.count()) {
      event.preventDefault();
      var net = document.getElementById("net");
      net.className = "net alert";
      net.textContent = "还有 " + outbox.count() + " 项评分待发送。请等网络恢复、发送完成后再退出。";
      net.hidden = false;
      return;
    }
    forgetPerson(); // 共用平板：不留下本人的评价
  });
  window.addEventListener("online", refreshState);
  window.addEventListener("offline", showNet);

  window.SanminTablet = { outbox: outbox, forgetPerson: forgetPerson }; // 交还平板（handback.js）

  renderAll();
  refreshState();
  listen();
  outbox.retryNow();
})();
