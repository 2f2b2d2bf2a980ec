// 两个评分页面（代表平板 tablet.js、网络评议 online.js）共用的部分：读出所选等次或各项打分并组成一张评分、
// 显示一个部门的“待发送 / 已提交 / 未能提交”、读屏播报的话、网络状态条，以及等次按钮与滑块的点按。
// 须在 tablet.js / online.js 之前加载。无框架，无内联脚本。
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  // 回执码（8 或 10 位）从中间分开，便于念和抄。
  function formatReceipt(code) {
    var half = code && (code.length === 8 || code.length === 10) ? code.length / 2 : 0;
    return half ? code.slice(0, half) + " " + code.slice(half) : code;
  }

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

  // 评分表单 → 一张评分（新的 client_id）；还没选完时在表单里提示，返回 null。
  function ballotFrom(form, outbox) {
    var dept = form.getAttribute("data-department");
    var message = form.querySelector(".form-message");
    var picked = chosen(form);
    if (!picked) {
      message.textContent = form.querySelector("input[type=range]") ? "请为每一项指标打分，或选择“不了解”" : "请先选择一项评价";
      message.hidden = false;
      return null;
    }
    message.hidden = true;
    var ballot = { department: dept, client_id: outbox.newId(), choice: picked.choice,
      comment: form.querySelector("textarea[name=comment]").value.trim() };
    if (picked.scores) { ballot.scores = picked.scores; }
    return { dept: dept, ballot: ballot, label: picked.label, choice: picked.choice };
  }

  // 一个部门的状态框：待发送、已提交（或已作废）、未能提交；给了 change 时再加一个“修改评分”按钮。
  function describe(outcome, rec, voided, change) {
    if (rec.status === "pending") {
      outcome.classList.add("pending");
      outcome.appendChild(el("p", "big-status", "待发送"));
      // 待发送的原因（断网、登录失效、正在发送）由网络状态条说；这里不猜原因
      outcome.appendChild(el("p", "", "您的评价「" + rec.label + "」已保存在本机，会自动发送，不会重复计算。"));
    } else if (rec.status === "sent") {
      outcome.classList.add(voided ? "refused" : "sent");
      outcome.appendChild(el("p", "big-status", voided ? "已作废" : "已提交 ✓"));
      outcome.appendChild(el("p", "", "您的评价：" + rec.label));
      var receipt = el("p", "receipt", "回执码 ");
      receipt.appendChild(el("strong", "", formatReceipt(rec.receipt)));
      outcome.appendChild(receipt);
      if (voided) { outcome.appendChild(el("p", "", "这张评分已被组织方作废，不计入结果。")); }
    } else {
      outcome.classList.add("refused");
      outcome.appendChild(el("p", "big-status", "未能提交"));
      outcome.appendChild(el("p", "", rec.message || "提交未被接受"));
    }
    if (change) {
      var button = el("button", "change", "修改评分");
      button.type = "button";
      button.addEventListener("click", change);
      outcome.appendChild(button);
    }
  }

  // 把状态框滚到视野中央（布局更新之后）；focus 时焦点也移过去，读屏软件随即读出。
  function reveal(outcome, focus) {
    if (focus) { outcome.setAttribute("tabindex", "-1"); }
    window.requestAnimationFrame(function () {
      outcome.scrollIntoView({ block: "center" });
      if (focus) { outcome.focus({ preventScroll: true }); }
    });
  }

  // 读屏软件播报的话（name 是部门名）。
  function announcement(name, rec) {
    var quoted = "「" + name + "」";
    return rec.status === "pending" ? quoted + "待发送：已保存在本机，会自动发送。"
      : rec.status === "sent" ? quoted + "已提交，回执码 " + formatReceipt(rec.receipt) + "。"
      : quoted + "未能提交：" + (rec.message || "提交未被接受");
  }

  // 网络状态条：登录失效（失效时的话由页面给出）、断网时有几项待发送、正在发送几项；返回这一条，页面可以再补充。
  function showNet(outbox, signedOutText) {
    var net = document.getElementById("net");
    var waiting = outbox.count();
    net.className = "net";
    net.textContent = "";
    if (outbox.state.signedOut) {
      net.classList.add("alert");
      net.textContent = signedOutText;
    } else if (waiting && (outbox.state.failing || !navigator.onLine)) {
      net.classList.add("alert");
      net.textContent = "网络已断开：有 " + waiting + " 项待发送，已保存在本机，网络恢复后会自动发送。";
    } else if (waiting) {
      net.textContent = "正在发送 " + waiting + " 项……";
    }
    net.hidden = !net.textContent;
    return net;
  }

  // 等次按钮一次只按下一个（再按一次取消）；滑块动过才算打了分。
  function listenChoices() {
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
  }

  window.SanminBallot = {
    el: el, ballotFrom: ballotFrom, describe: describe, announcement: announcement, showNet: showNet,
    listenChoices: listenChoices, reveal: reveal
  };
})();
