package dev.sluice.serve;

import dev.sluice.job.JobHistory;
import dev.sluice.job.JobSpec;

import java.util.List;

/** The HTML of the operations app: a shared layout, pages that draw their data from the JSON API with Chart.js. */
final class Pages {
    private Pages() {
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String layout(OpsServer.Context ctx, String title, String body, String script) {
        StringBuilder nav = new StringBuilder("<a href=\"/\">Home</a>");
        for (DashboardFile.Page p : ctx.dashboard().pages()) {
            nav.append("<a href=\"/pages/").append(esc(p.name())).append("\">").append(esc(p.title())).append("</a>");
        }
        nav.append("<a href=\"/jobs\">Jobs</a>");
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + " · " + esc(ctx.projectName())
                + "</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>"
                + "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}"
                + "header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}"
                + "header a{color:#cfd6e4;text-decoration:none}header a:hover{color:#fff}header b{margin-right:12px}"
                + "main{padding:20px;max-width:1200px;margin:auto}h1{font-size:1.4em}"
                + ".tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{background:#fff;border-radius:6px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0002}"
                + ".tile .t{font-size:.85em;color:#5b6475}.tile .value{font-size:1.6em;font-weight:600}"
                + ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;margin-top:16px}"
                + ".chart{background:#fff;border-radius:6px;padding:12px;box-shadow:0 1px 2px #0002}"
                + "table{border-collapse:collapse;background:#fff;margin-top:8px;width:100%}td,th{border-bottom:1px solid #e3e6ec;padding:4px 8px;text-align:left;font-size:.9em}"
                + "pre#log{background:#111;color:#ddd;padding:12px;min-height:200px;white-space:pre-wrap;font-size:.85em}"
                + "button{background:#2d6cdf;color:#fff;border:0;border-radius:4px;padding:5px 10px;cursor:pointer}"
                + ".success{color:#18794e}.failure,.error{color:#c62828}.warning{color:#a15c00}.skipped{color:#5b6475}"
                + "</style><script src=\"/assets/chart.umd.js\"></script></head><body><header><b>sluice · " + esc(ctx.projectName())
                + "</b>" + nav + "</header><main>" + body + "</main><script>"
                + "function act(url,body){return fetch(url,{method:'POST',headers:{'X-Sluice-Action':'1','Content-Type':'application/json'},"
                + "body:body?JSON.stringify(body):''}).then(r=>r.json()).then(j=>{if(j.url)location.href=j.url;else alert(j.error||'refused')})}"
                + script + "</script></body></html>";
    }

    static String home(OpsServer.Context ctx) {
        StringBuilder b = new StringBuilder("<h1>" + esc(ctx.projectName()) + "</h1><ul id=\"pages\">");
        for (DashboardFile.Page p : ctx.dashboard().pages()) {
            b.append("<li><a href=\"/pages/").append(esc(p.name())).append("\">").append(esc(p.title())).append("</a> ")
                    .append(esc(p.description())).append("</li>");
        }
        b.append("<li><a href=\"/jobs\">Jobs</a>: launch and watch runs, their history</li></ul>");
        if (ctx.dashboard().pages().isEmpty()) b.append("<p>No dashboard.yml in the project: only jobs are shown.</p>");
        return layout(ctx, "Home", b.toString(), "");
    }

    static String dashboardPage(OpsServer.Context ctx, DashboardFile.Page page) {
        String body = "<h1>" + esc(page.title()) + "</h1><p>" + esc(page.description()) + "</p>"
                + "<div class=\"tiles\" id=\"tiles\"></div><div class=\"charts\" id=\"charts\"></div><div id=\"tables\"></div>"
                + "<p id=\"loaded\" hidden></p>";
        String script = "const fmt=(v,f)=>{if(v===null||v===undefined)return '–';if(f==='integer')return Math.round(v).toLocaleString('en-US');"
                + "if(f==='money')return Number(v).toLocaleString('en-US',{minimumFractionDigits:2,maximumFractionDigits:2});"
                + "if(f==='percent')return (v*100).toFixed(1)+'%';if(f==='decimal')return Number(v).toLocaleString('en-US',{maximumFractionDigits:4});return String(v)};"
                + "const el=(t,a,txt)=>{const e=document.createElement(t);for(const k in a||{})e.setAttribute(k,a[k]);if(txt!==undefined)e.textContent=txt;return e};"
                + "fetch('/api/pages/" + esc(page.name()) + "').then(r=>{if(!r.ok)return r.text().then(t=>{throw new Error(t)});return r.json()}).then(d=>{"
                + "for(const t of d.tiles){const box=el('div',{class:'tile','data-title':t.title,title:t.description});box.append(el('div',{class:'t'},t.title));"
                + "box.append(el('div',{class:'value','data-raw':t.value===null?'':String(t.value)},fmt(t.value,t.format)));tiles.append(box)}"
                + "for(const c of d.charts){const box=el('div',{class:'chart','data-title':c.title});box.append(el('div',{class:'t'},c.title));"
                + "const cv=el('canvas');box.append(cv);charts.append(box);const stacked=c.format==='stacked_bar';"
                + "new Chart(cv,{type:stacked?'bar':c.format,data:{labels:c.labels,datasets:c.series.map(s=>({label:s.name,data:s.data}))},"
                + "options:{animation:false,scales:(c.format==='pie'||c.format==='doughnut')?{}:{x:{stacked},y:{stacked}}}})}"
                + "for(const t of d.tables){const h=el('h3',{},t.title);const tb=el('table',{class:'data','data-title':t.title});"
                + "const hr=el('tr');for(const c of t.columns)hr.append(el('th',{},c));tb.append(hr);"
                + "for(const r of t.rows){const tr=el('tr');for(const v of r)tr.append(el('td',{},v===null?'':String(v)));tb.append(tr)}"
                + "tables.append(h,tb);if(t.masked.length)tables.append(el('p',{class:'note'},'Masked: '+t.masked.join(', ')))}"
                + "loaded.textContent='loaded';loaded.hidden=false}).catch(e=>{loaded.textContent='error: '+e.message;loaded.hidden=false});";
        return layout(ctx, page.title(), body, script);
    }

    static String jobs(OpsServer.Context ctx, List<JobHistory.Entry> history) {
        StringBuilder b = new StringBuilder("<h1>Jobs</h1><table id=\"jobs\"><tr><th>Job</th><th>Runs</th><th>Schedule</th><th>Trigger</th><th></th></tr>");
        for (JobSpec j : ctx.jobs().get()) {
            String sel = j.selector() != null ? "--selector " + j.selector() : String.join(" ", j.select());
            b.append("<tr data-job=\"").append(esc(j.name())).append("\"><td>").append(esc(j.name())).append("</td><td>")
                    .append(esc(j.command())).append(' ').append(esc(sel)).append("</td><td>")
                    .append(j.schedule().map(s -> esc(s.toString())).orElse("on demand")).append("</td><td>")
                    .append(j.trigger().map(t -> "new data in " + esc(t.display())).orElse("")).append("</td><td><button class=\"run\" data-job=\"")
                    .append(esc(j.name())).append("\">Run now</button></td></tr>");
        }
        b.append("</table><h2>Run a selection</h2><form id=\"selection\"><select name=\"command\"><option>build</option><option>run</option>"
                + "<option>test</option><option>seed</option><option>snapshot</option></select> <input name=\"select\" size=\"40\" "
                + "placeholder=\"e.g. +customer_scores\"> <button type=\"submit\">Launch</button></form>");
        b.append("<h2>Started here</h2><table id=\"live\"><tr><th>Queued</th><th>Job</th><th>By</th><th>Status</th></tr>");
        for (LiveRuns.LiveRun r : ctx.runs().recent()) {
            b.append("<tr><td>").append(r.queuedAt()).append("</td><td><a href=\"/runs/").append(r.id()).append("\">").append(esc(r.job()))
                    .append("</a></td><td>").append(esc(r.by())).append("</td><td class=\"").append(esc(r.status())).append("\">")
                    .append(esc(r.status())).append("</td></tr>");
        }
        b.append("</table><h2>History</h2><table id=\"history\"><tr><th>Started</th><th>Job</th><th>Status</th><th>Attempts</th><th>Message</th></tr>");
        for (JobHistory.Entry e : history.subList(0, Math.min(100, history.size()))) {
            b.append("<tr><td>").append(e.startedAt()).append("</td><td>").append(esc(e.job())).append("</td><td class=\"")
                    .append(esc(e.status())).append("\">").append(esc(e.status())).append("</td><td>").append(e.attempts())
                    .append("</td><td>").append(esc(e.message())).append("</td></tr>");
        }
        b.append("</table>");
        String script = "document.querySelectorAll('button.run').forEach(b=>b.onclick=()=>act('/api/jobs/'+encodeURIComponent(b.dataset.job)+'/run'));"
                + "selection.onsubmit=e=>{e.preventDefault();act('/api/runs',{command:selection.command.value,select:selection.select.value})};";
        return layout(ctx, "Jobs", b.toString(), script);
    }

    static String run(OpsServer.Context ctx, LiveRuns.LiveRun r) {
        String body = "<h1>Run of " + esc(r.job()) + "</h1><p>Status: <b id=\"run-status\" class=\"" + esc(r.status()) + "\">" + esc(r.status())
                + "</b> <button id=\"retry\" hidden>Retry from failure</button></p><pre id=\"log\"></pre>";
        // Elements by id, not as globals: window.status is a built-in that would hide the status element.
        String script = "const $=id=>document.getElementById(id);const es=new EventSource('/api/runs/" + r.id() + "/events');"
                + "es.onmessage=e=>{$('log').textContent+=e.data+'\\n'};"
                + "es.addEventListener('end',e=>{es.close();$('run-status').textContent=e.data;$('run-status').className=e.data;"
                + "if(e.data==='failure')$('retry').hidden=false});"
                + "$('retry').onclick=()=>act('/api/runs/" + r.id() + "/retry');";
        return layout(ctx, "Run " + r.job(), body, script);
    }
}
