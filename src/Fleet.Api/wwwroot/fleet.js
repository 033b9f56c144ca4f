// The little the pages do in the browser; every page works without it.
(function () {
    "use strict";
    // 菜单: the navigation folds away on narrow screens.
    document.addEventListener("click", function (e) {
        var button = e.target.closest(".menu-button");
        if (!button) return;
        var nav = document.getElementById(button.getAttribute("aria-controls"));
        var open = nav.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    // A form is sent once (data-once): a second tap while the first is on its way does nothing, and the buttons say so.
    // The server keeps one record per form key anyway (the hidden __IdempotencyKey), also without this script.
    document.addEventListener("submit", function (e) {
        var form = e.target;
        if (!form.hasAttribute || !form.hasAttribute("data-once")) return;
        if (form.hasAttribute("data-sent")) { e.preventDefault(); return; }
        form.setAttribute("data-sent", "");
        // The pressed button's name and value still go with the form (a disabled button's would not).
        var pressed = e.submitter;
        if (pressed && pressed.name) {
            var carried = document.createElement("input");
            carried.type = "hidden";
            carried.name = pressed.name;
            carried.value = pressed.value;
            carried.setAttribute("data-carried", "");
            form.appendChild(carried);
        }
        form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
            if (b.type !== "submit") return;
            b.disabled = true;
            b.setAttribute("aria-busy", "true");
        });
    });
    // Back on a page from the browser's history: its forms may be sent again, as a new submission with a new key.
    window.addEventListener("pageshow", function (e) {
        if (!e.persisted) return;
        document.querySelectorAll("form[data-sent]").forEach(function (form) {
            form.removeAttribute("data-sent");
            form.querySelectorAll("[aria-busy]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
            form.querySelectorAll("[data-carried]").forEach(function (c) { c.remove(); });
            var key = form.querySelector("input[name=__IdempotencyKey]");
            if (key) key.value = newKey();
        });
    });
    function newKey() {
        var bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    }
    // Countdowns to a deadline: <span data-deadline="2027-01-31T08:00:00Z">.
    function tick() {
        document.querySelectorAll("[data-deadline]").forEach(function (el) {
            var left = Date.parse(el.getAttribute("data-deadline")) - Date.now();
            if (isNaN(left)) return;
            if (left <= 0) { el.textContent = "已过封存时限"; return; }
            var d = Math.floor(left / 86400000), h = Math.floor(left / 3600000) % 24, m = Math.floor(left / 60000) % 60;
            el.textContent = (d > 0 ? d + " 天 " : "") + h + " 小时 " + m + " 分";
        });
    }
    tick();
    setInterval(tick, 30000);
    // Plate completion from the register: <input list="plates" data-plates> fills <datalist id="plates">.
    var timer;
    document.addEventListener("input", function (e) {
        var input = e.target;
        if (!input.hasAttribute || !input.hasAttribute("data-plates")) return;
        clearTimeout(timer);
        var text = input.value.trim();
        if (text.length < 2) return;
        timer = setTimeout(function () {
            fetch("/api/vehicles?pageSize=10&plateNumber=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
                .then(function (r) { return r.ok ? r.json() : { items: [] }; })
                .then(function (page) {
                    var list = document.getElementById(input.getAttribute("list"));
                    list.replaceChildren.apply(list, page.items.map(function (v) {
                        var option = document.createElement("option");
                        option.value = v.plateNumber;
                        return option;
                    }));
                })
                .catch(function () { /* completion is a convenience: typing the plate still works */ });
        }, 200);
    });
})();
