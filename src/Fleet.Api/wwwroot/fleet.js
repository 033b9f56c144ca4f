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
        // Without signal a spot check is kept on the phone (the outbox, below) rather than sent.
        if (form.hasAttribute("data-offline-form") && window.FleetOffline && window.FleetOffline.offline()) {
            e.preventDefault();
            window.FleetOffline.keep(form);
            return;
        }
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
            // A phone that seems connected may get no answer: after 4 s the plates it keeps answer instead.
            var controller = new AbortController();
            setTimeout(function () { controller.abort(); }, 4000);
            fetch("/api/vehicles?pageSize=10&plateNumber=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" }, signal: controller.signal })
                .then(function (r) { return r.ok ? r.json() : { items: [] }; })
                .then(function (page) {
                    var list = document.getElementById(input.getAttribute("list"));
                    list.replaceChildren.apply(list, page.items.map(function (v) {
                        var option = document.createElement("option");
                        option.value = v.plateNumber;
                        return option;
                    }));
                })
                .catch(function () {
                    // Without signal: the plates of the inspector's scope the phone keeps (sw.js).
                    return fetch("/spot-checks/new?handler=Plates", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (all) {
                        var wanted = text.toUpperCase();
                        var list = document.getElementById(input.getAttribute("list"));
                        list.replaceChildren.apply(list, all.split("\n").filter(function (p) { return p && p.indexOf(wanted) >= 0; }).slice(0, 10).map(function (p) {
                            var option = document.createElement("option");
                            option.value = p;
                            return option;
                        }));
                    });
                })
                .catch(function () { /* completion is a convenience: typing the plate still works */ });
        }, 200);
    });
    // Spot checks without signal (inspectors: <body data-outbox>). A service worker (sw.js) keeps the form, its plates
    // and these assets on the phone; a check saved without signal goes into the outbox (outbox.js) with the time it
    // was made and its own key, its photos with it, and is sent in order when the network returns, each once. A
    // refusal stays against its check until the inspector rewrites or gives it up.
    if (document.body.getAttribute("data-outbox") && window.FleetOutbox) offlineChecks(window.FleetOutbox.mine(document.body.getAttribute("data-outbox")));
    // Signed out (or not an inspector): the phone no longer keeps anyone's form or plates. What is still to send stays
    // in the outbox for the person who made it.
    else if (!document.body.hasAttribute("data-outbox") && "serviceWorker" in navigator && window.caches) {
        navigator.serviceWorker.getRegistrations().then(function (all) { all.forEach(function (r) { r.unregister(); }); }).catch(function () { });
        caches.delete("fleet-offline-v1").catch(function () { });
    }
    function offlineChecks(outbox) {
        var copy = document.body.hasAttribute("data-offline-copy");
        var form = document.querySelector("form[data-offline-form]");
        var flushing = false, rewriting = null, dirty = false;
        // Back online (the copy gave way to the live form, or the network returned on a live page): said with what was sent.
        var back = new URLSearchParams(location.search).has("online");
        if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () { /* the pages work without it */ });
        function offline() { return copy || !navigator.onLine; }
        function localNow() {
            var d = new Date();
            d.setSeconds(0, 0);
            return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
        }
        function field(name) { return form && form.querySelector("[name='" + name + "']"); }
        function say(text, caution) {
            var main = document.getElementById("main");
            var status = main.querySelector("[data-outbox-status]");
            if (!status) {
                status = document.createElement("p");
                status.setAttribute("role", "status");
                status.setAttribute("data-outbox-status", "");
                main.insertBefore(status, main.firstChild);
            }
            status.className = caution ? "notice caution" : "notice";
            status.textContent = text;
        }
        function fresh() {
            if (!form) return;
            ["Input.PlateNumber", "Input.Finding", "Input.Notes", "Input.UnitId"].forEach(function (n) { if (field(n)) field(n).value = ""; });
            field("Input.CheckedAt").value = localNow();
            field("Input.CheckedAt").removeAttribute("data-edited");
            dirty = false;
            var banner = document.querySelector("[data-offline-banner]");
            if (banner) banner.hidden = !offline();
        }
        if (form) {
            field("Input.CheckedAt").addEventListener("input", function () { this.setAttribute("data-edited", ""); });
            form.addEventListener("input", function () { dirty = true; });
            form.addEventListener("submit", function () { if (rewriting !== null) { outbox.remove(rewriting); rewriting = null; } });
            if (offline()) {
                // The copy kept on the phone: what the server said when it was kept no longer holds.
                document.querySelectorAll("main > .notice, .saved").forEach(function (el) { el.remove(); });
                fresh();
            }
        }
        function label(entry) {
            var finding = "";
            var select = field("Input.Finding");
            if (select) Array.prototype.forEach.call(select.options, function (o) { if (o.value === entry.fields["Input.Finding"]) finding = o.textContent; });
            return (entry.fields["Input.PlateNumber"] || "") + " " + finding;
        }
        function keep(f) {
            clearTimeout(timer); // the plate's completion is no longer wanted
            var fields = {};
            new FormData(f).forEach(function (value, name) { if (typeof value === "string" && name.indexOf("__") !== 0) fields[name] = value; });
            if (!field("Input.CheckedAt").hasAttribute("data-edited")) fields["Input.CheckedAt"] = localNow();
            return outbox.add(fields, null).then(function (entry) {
                return outbox.all().then(function (all) {
                    say("没有网络，已保存在手机上：" + label(entry) + "（待上传 " + all.length + " 条），有网络时自动上传。", true);
                    fresh();
                    field("Input.PlateNumber").focus();
                    return render();
                });
            });
        }
        function render() {
            return outbox.all().then(function (entries) {
                var link = document.querySelector("[data-outbox-link]");
                if (link) { link.hidden = entries.length === 0; link.querySelector("b").textContent = entries.length; }
                var section = document.querySelector("[data-outbox-list]");
                if (!section) return;
                section.hidden = entries.length === 0;
                section.querySelector("[data-outbox-count]").textContent = entries.length;
                var list = section.querySelector("ol");
                list.replaceChildren.apply(list, entries.map(item));
            });
        }
        function item(entry) {
            var li = document.createElement("li");
            li.className = entry.state === "refused" ? "refused" : "";
            var title = document.createElement("b");
            title.textContent = label(entry);
            var facts = document.createElement("span");
            facts.textContent = " · " + (entry.fields["Input.CheckedAt"] || "").replace("T", " ") + " · " + (entry.fields["Input.Location"] || "") +
                (entry.photos.length ? " · 照片 " + entry.photos.length + " 张" : "");
            var state = document.createElement("p");
            var badPhoto = entry.photos.filter(function (p) { return p.error; })[0];
            state.className = entry.state === "refused" || badPhoto ? "field-error" : "muted";
            state.textContent = entry.state === "refused" ? "未能上传：" + entry.error
                : badPhoto ? "抽查已上传；照片未能上传：" + badPhoto.error
                : entry.checkId ? "抽查已上传，照片待上传" : "等待上传";
            var actions = document.createElement("div");
            actions.className = "actions";
            var photo = document.createElement("label");
            photo.className = "button secondary";
            photo.textContent = "拍照";
            var input = document.createElement("input");
            input.type = "file";
            input.accept = "image/jpeg,image/png,image/heic,.heic";
            input.setAttribute("capture", "environment");
            input.className = "visually-hidden";
            input.setAttribute("aria-label", "为这条抽查拍照：" + label(entry));
            input.addEventListener("change", function () {
                Array.prototype.reduce.call(input.files, function (p, file) { return p.then(function () { return outbox.addPhoto(entry.seq, file); }); }, Promise.resolve())
                    .then(render).then(flush);
            });
            photo.appendChild(input);
            actions.appendChild(photo);
            if (entry.state === "refused" && !entry.checkId && form) {
                var again = document.createElement("button");
                again.type = "button";
                again.className = "secondary";
                again.textContent = "重新填写";
                again.setAttribute("aria-label", "重新填写：" + label(entry));
                again.addEventListener("click", function () {
                    Object.keys(entry.fields).forEach(function (n) { if (field(n)) field(n).value = entry.fields[n]; });
                    field("Input.CheckedAt").setAttribute("data-edited", "");
                    // The refused entry goes once the rewritten check is saved (kept or sent), not before.
                    rewriting = entry.seq;
                    field("Input.PlateNumber").focus();
                });
                actions.appendChild(again);
            }
            var drop = document.createElement("button");
            drop.type = "button";
            drop.className = "danger";
            if (entry.checkId) {
                // The check is on the server: what can be given up is the photos it could not take.
                drop.textContent = "放弃未上传的照片";
                drop.setAttribute("aria-label", "放弃未上传的照片：" + label(entry));
                drop.addEventListener("click", function () {
                    if (!window.confirm("放弃这条抽查未上传的照片？放弃后不能恢复。")) return;
                    outbox.update(entry.seq, function (e) { e.photos = e.photos.filter(function (p) { return p.sent; }); })
                        .then(function () { return outbox.removeIfDone(entry.seq); }).then(render);
                });
            } else {
                drop.textContent = "放弃";
                drop.setAttribute("aria-label", "放弃：" + label(entry));
                drop.addEventListener("click", function () {
                    if (window.confirm("放弃这条未上传的抽查（" + label(entry) + "）？放弃后不能恢复。")) outbox.remove(entry.seq).then(render);
                });
            }
            actions.appendChild(drop);
            li.append(title, facts, state, actions);
            return li;
        }
        /** The text a page gave back: its errors, or its first notice or heading. */
        function message(html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var el = doc.querySelector("main .errors") || doc.querySelector("main .notice") || doc.querySelector("main p") || doc.querySelector("h1");
            return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
        }
        var NO_NETWORK = "网络不通，抽查已保存在手机上，有网络时自动上传。";
        /** A request that gives up after <seconds>: a phone that seems connected may never get an answer. */
        function post(url, body, seconds) {
            var controller = new AbortController();
            var timer = setTimeout(function () { controller.abort(); }, seconds * 1000);
            return fetch(url, { method: "POST", body: body, credentials: "same-origin", signal: controller.signal })
                .finally(function () { clearTimeout(timer); });
        }
        /**
         * Sends one entry's check (once: its key; a resend is answered from the first), then its photos; returns "sent",
         * "refused", "kept" (a photo refused, the rest sent) or why to stop. Every change is made to the entry as it
         * is then (a photo taken or the entry given up meanwhile is not undone).
         */
        function send(entry, token) {
            if (entry.checkId) return photos(entry.seq, token);
            var body = new URLSearchParams();
            Object.keys(entry.fields).forEach(function (n) { body.append(n, entry.fields[n]); });
            body.set("__fleet_form", token);
            body.set("__IdempotencyKey", entry.key);
            return post("/spot-checks/new", body, 30).then(function (r) {
                var url = new URL(r.url);
                if (url.pathname === "/login") return { stop: "登录已过期：请重新登录，登录后自动上传。" };
                if (r.redirected && url.pathname === "/spot-checks/new" && url.searchParams.get("saved")) return { id: url.searchParams.get("saved") };
                // The form shown again with its errors (200), or the key of another check (422): refused.
                if (r.status !== 200 && r.status !== 422 || url.pathname !== "/spot-checks/new") return { stop: "服务器暂时未能处理，稍后自动重试。" };
                return r.text().then(function (html) { return { refused: message(html) || "服务器拒绝（" + r.status + "）" }; });
            }, function () { return { stop: NO_NETWORK }; }).then(function (result) {
                if (result.stop) return result.stop;
                if (result.refused)
                    return outbox.update(entry.seq, function (e) { e.state = "refused"; e.error = result.refused; }).then(function () { return "refused"; });
                return outbox.update(entry.seq, function (e) { e.checkId = result.id; }).then(function (now) {
                    return now ? photos(entry.seq, token) : "sent"; // given up while it went: the check is recorded all the same
                });
            });
        }
        /** The entry's photos not yet sent, one by one (each once: its key), until none is left; then the entry goes. */
        function photos(seq, token) {
            return outbox.removeIfDone(seq).then(function (removed) {
                if (removed) return "sent";
                return outbox.update(seq, function () { }).then(function (entry) {
                    if (!entry) return "sent";
                    var p = entry.photos.filter(function (x) { return !x.sent && !x.error; })[0];
                    if (!p) return "kept";
                    var body = new FormData();
                    body.append("__fleet_form", token);
                    body.append("__IdempotencyKey", p.key);
                    body.append("subjectType", "SpotCheck");
                    body.append("subjectId", entry.checkId);
                    body.append("returnUrl", "/spot-checks/" + entry.checkId);
                    body.append("file", p.blob, p.name);
                    return post("/photos", body, 60).then(function (r) {
                        var url = new URL(r.url);
                        if (url.pathname === "/login") return "登录已过期：请重新登录，登录后自动上传。";
                        // Where the upload sends the browser back says what happened (?photo=<id> or ?photo=refused),
                        // also when a resend is answered from the first.
                        var outcome = url.searchParams.get("photo");
                        if (!outcome) return "服务器暂时未能处理，稍后自动重试。";
                        return (outcome === "refused" ? r.text().then(message) : Promise.resolve("")).then(function (said) {
                            return outbox.update(seq, function (e) {
                                e.photos.forEach(function (x) {
                                    if (x.key !== p.key) return;
                                    if (outcome === "refused") x.error = said.replace(/^.*?未上传：/, "") || "照片未被接受";
                                    else x.sent = true;
                                });
                            }).then(function () { return photos(seq, token); });
                        });
                    }, function () { return NO_NETWORK; });
                });
            });
        }
        function flush() {
            var token = document.querySelector("input[name=__fleet_form]");
            if (flushing || offline() || !token) return Promise.resolve();
            flushing = true;
            var sent = 0, refused = 0;
            function run() {
                return outbox.all().then(function (entries) {
                    // Each entry in the order made; one that still has a photo to send goes on from where it stopped.
                    var waiting = entries.filter(function (e) { return e.state === "pending" || (e.checkId && e.photos.some(function (p) { return !p.sent && !p.error; })); });
                    return waiting.reduce(function (p, entry) {
                        return p.then(function (stopped) {
                            if (stopped) return stopped;
                            return send(entry, token.value).then(function (r) {
                                if (r === "sent") sent++; else if (r === "refused" || r === "kept") refused++; else return r;
                            });
                        });
                    }, Promise.resolve(null));
                });
            }
            // One tab sends at a time (two would send the same entry at once; the keys would keep one record, but the
            // second would wait for the first's answer).
            var sending = navigator.locks ? navigator.locks.request("fleet-outbox", run) : run();
            return sending.then(function (stopped) {
                if (sent || refused || stopped)
                    say((back && !stopped ? "网络已恢复。" : "") + (sent ? "已上传离线抽查 " + sent + " 条。" : "") + (refused ? "有 " + refused + " 条未能上传，见“待上传”。" : "") + (stopped || ""), !!(refused || stopped));
            }).catch(function () { /* kept on the phone; the next page or the network's return tries again */ })
                .then(function () { flushing = false; return render(); });
        }
        window.FleetOffline = { offline: offline, keep: keep };
        window.addEventListener("online", function () {
            // The copy kept on the phone has no session token of its own: the live page sends what was kept.
            if (copy) reconnect(1000); else { back = true; flush(); }
        });
        window.addEventListener("offline", function () {
            var banner = document.querySelector("[data-offline-banner]");
            if (banner) banner.hidden = false;
        });
        // The copy kept on the phone (shown without signal, or when the server was slow to answer) gives way to the live
        // form, which sends what was kept meanwhile, as soon as the server answers again; until then it asks now and then.
        var reconnecting = null;
        function reconnect(wait) {
            clearTimeout(reconnecting);
            reconnecting = setTimeout(function () {
                if (!navigator.onLine) return;
                // Not while a check is being typed in: it is saved on the phone first, then the form gives way.
                if (dirty) { reconnect(wait); return; }
                // The form itself answers (not merely the server): the live one will open in time.
                var controller = new AbortController();
                var limit = setTimeout(function () { controller.abort(); }, 8000);
                fetch("/spot-checks/new", { cache: "no-store", credentials: "same-origin", signal: controller.signal }).then(function (r) {
                    clearTimeout(limit);
                    if (r.ok && !dirty) location.replace("/spot-checks/new?online=1" + location.hash); else reconnect(Math.min(wait * 2, 30000));
                }).catch(function () { clearTimeout(limit); reconnect(Math.min(wait * 2, 30000)); });
            }, wait);
        }
        if (copy && navigator.onLine) reconnect(2000);
        // A check the service worker kept (the form's answer never came) is this person's: it was their form.
        var queued = new URLSearchParams(location.search).get("queued");
        if (queued) say(NO_NETWORK, true);
        (queued ? outbox.claim(queued) : Promise.resolve()).then(render).then(flush);
        // Plates of the inspector's scope kept for completing without signal (fetched at most hourly while online).
        var platesAt = "fleet-plates-at:" + document.body.getAttribute("data-outbox");
        if (form && !offline() && Date.now() - Number(localStorage.getItem(platesAt) || 0) > 3600000) {
            fetch("/spot-checks/new?handler=Plates", { credentials: "same-origin" }).then(function (r) {
                if (r.ok) localStorage.setItem(platesAt, String(Date.now()));
            }).catch(function () { });
        }
    }
})();
