(function () {
  "use strict";
  var words = document.getElementById("nd-time-words");
  if (!words || !window.Intl || !Intl.PluralRules || !Intl.DateTimeFormat) return;
  var w = JSON.parse(words.textContent);
  var now = Date.now();
  var plural = new Intl.PluralRules(w.lang);
  // dateStyle/timeStyle cannot be combined with timeZoneName: the same fields, spelled out.
  var exact = new Intl.DateTimeFormat(w.lang, {
    year: "numeric", month: "short", day: "numeric",
    hour: "numeric", minute: "2-digit", timeZoneName: "short"
  });
  var day = new Intl.DateTimeFormat(w.lang, { dateStyle: "medium" });
  function counted(key, n) {
    var forms = w[key];
    return (forms[plural.select(n)] || forms.other).replace("{n}", String(n));
  }
  function ago(t) {
    var seconds = Math.trunc((now - t.getTime()) / 1000);
    if (seconds < -60) {
      var ahead = Math.trunc(-seconds / 60);
      if (ahead < 60) return counted("time-in-minutes", ahead);
      if (ahead < 1440) return counted("time-in-hours", Math.trunc(ahead / 60));
      return counted("time-in-days", Math.trunc(ahead / 1440));
    }
    var minutes = Math.trunc(seconds / 60);
    var hours = Math.trunc(minutes / 60);
    var days = Math.trunc(hours / 24);
    if (minutes < 1) return w["time-just-now"];
    if (hours < 1) return counted("time-minutes-ago", minutes);
    if (days < 1) return counted("time-hours-ago", hours);
    if (days < 60) return counted("time-days-ago", days);
    return day.format(t);
  }
  var times = document.querySelectorAll("time[data-time]");
  for (var i = 0; i < times.length; i++) {
    var e = times[i];
    var t = new Date(e.getAttribute("datetime"));
    if (isNaN(t.getTime())) continue;
    var local = exact.format(t);
    if (e.getAttribute("data-time") === "ago") {
      e.textContent = ago(t);
      e.title = local;
    } else {
      e.title = e.textContent;
      e.textContent = local;
    }
  }
})();
