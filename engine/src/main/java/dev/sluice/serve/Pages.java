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
        nav.append("<a href=\"/dag\">DAG</a><a href=\"/jobs\">Jobs</a>");
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + " · " + esc(ctx.projectName())
                + "</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>"
                + "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}"
                + "header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}"
                + "header a{color:#cfd6e4;text-decoration:none}header a:hover{color:#fff}header b{margin-right:12px}"
                + "main{padding:20px;max-width:1200px;margin:auto}h1{font-size:1.4em}"
                + ".tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{background:#fff;border-radius:6px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0002}"
                + ".tile .t{font-size:.85em;color:#5b6475}.tile .value{font-size:1.6em;font-weight:600}"
                + ".tile .change{font-size:.8em;color:#5b6475}.tile canvas.trend{max-width:200px;max-height:50px}"
                + ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;margin-top:16px}"
                + ".chart{background:#fff;border-radius:6px;padding:12px;box-shadow:0 1px 2px #0002}"
                + "table{border-collapse:collapse;background:#fff;margin-top:8px;width:100%}th.sortable{cursor:pointer}td,th{border-bottom:1px solid #e3e6ec;padding:4px 8px;text-align:left;font-size:.9em}"
                + "pre#log{background:#111;color:#ddd;padding:12px;min-height:200px;white-space:pre-wrap;font-size:.85em}"
                + "button{background:#2d6cdf;color:#fff;border:0;border-radius:4px;padding:5px 10px;cursor:pointer}"
                + "button:disabled{background:#9aa5b8;cursor:default}#graph{position:relative;overflow:auto;background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002}"
                + "#graph g.node{cursor:pointer}#graph g.node.selected rect.box{stroke-width:3}#graph path.edge{fill:none;stroke:#98a2b3;stroke-width:1.3}"
                + "#graph path.edge.down{stroke:#2d6cdf;stroke-width:2}#graph g.node.down rect.box{fill:#e8effc}"
                + "#nodes pre{background:#111;color:#ddd;padding:8px;white-space:pre-wrap;font-size:.8em;margin:0}"
                + ".success{color:#18794e}.pass{color:#18794e}.fail{color:#c62828}.warn{color:#a15c00}.running{color:#2d6cdf}.failure,.error{color:#c62828}.warning{color:#a15c00}.skipped{color:#5b6475}"
                + "</style><script src=\"/assets/chart.umd.js\"></script></head><body><header><b>sluice · " + esc(ctx.projectName())
                + "</b>" + nav + "</header><main>" + body + "</main><script>"
                + "function act(url,body){return fetch(url,{method:'POST',headers:{'X-Sluice-Action':'1','Content-Type':'application/json'},"
                + "body:body?JSON.stringify(body):''}).then(r=>r.json()).then(j=>{if(j.url)location.href=j.url;else alert(j.error||'refused')})}"
                + "const el=(t,a,txt)=>{const e=document.createElement(t);for(const k in a||{})e.setAttribute(k,a[k]);if(txt!==undefined)e.textContent=txt;return e};"
                + script + "</script></body></html>";
    }

    static String home(OpsServer.Context ctx) {
        StringBuilder b = new StringBuilder("<h1>" + esc(ctx.projectName()) + "</h1><ul id=\"pages\">");
        for (DashboardFile.Page p : ctx.dashboard().pages()) {
            b.append("<li><a href=\"/pages/").append(esc(p.name())).append("\">").append(esc(p.title())).append("</a> ")
                    .append(esc(p.description())).append("</li>");
        }
        b.append("<li><a href=\"/dag\">DAG</a>: the pipeline; launch a node and what depends on it</li>");
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
                + "fetch('/api/pages/" + esc(page.name()) + "').then(r=>{if(!r.ok)return r.text().then(t=>{throw new Error(t)});return r.json()}).then(d=>{"
                + "for(const t of d.tiles){const box=el('div',{class:'tile','data-title':t.title,title:t.description});box.append(el('div',{class:'t'},t.title));"
                + "box.append(el('div',{class:'value','data-raw':t.value===null?'':String(t.value)},fmt(t.value,t.format)));"
                // A trend: the change of the last point against the one before, and a small line of every point.
                + "if(t.trend){const up=t.change===null?'':t.change>=0?'▲ ':'▼ ';"
                + "box.append(el('div',{class:'change '+(t.change===null?'':t.change>=0?'up':'down'),'data-raw':t.change===null?'':String(t.change)},"
                + "t.change===null?'':up+(Math.abs(t.change)*100).toFixed(1)+'% vs '+t.previous_label));"
                + "const cv=el('canvas',{class:'trend',height:'50'});box.append(cv);"
                + "new Chart(cv,{type:'line',data:{labels:t.trend.labels,datasets:[{data:t.trend.values,pointRadius:0,borderWidth:1.5,tension:.3}]},"
                + "options:{animation:false,plugins:{legend:{display:false}},scales:{x:{display:false},y:{display:false}}}})}"
                + "tiles.append(box)}"
                + "for(const c of d.charts){const box=el('div',{class:'chart','data-title':c.title});box.append(el('div',{class:'t'},c.title));"
                + "const cv=el('canvas');box.append(cv);charts.append(box);const stacked=c.format==='stacked_bar';"
                + "new Chart(cv,{type:stacked?'bar':c.format,data:{labels:c.labels,datasets:c.series.map(s=>({label:s.name,data:s.data}))},"
                + "options:{animation:false,scales:(c.format==='pie'||c.format==='doughnut')?{}:{x:{stacked},y:{stacked}}}})}"
                + "for(const t of d.tables){const h=el('h3',{},t.title);const tb=el('table',{class:'data','data-title':t.title});"
                + "const hr=el('tr');for(const c of t.columns)hr.append(el('th',{},c));tb.append(hr);"
                // A drill-down table's key cells link to the rows behind them.
                + "const dk=t.drill?t.columns.findIndex(c=>c.toLowerCase()===t.drill.key.toLowerCase()):-1;"
                + "for(const r of t.rows){const tr=el('tr');r.forEach((v,i)=>{const td=el('td');"
                + "if(i===dk&&v!==null)td.append(el('a',{class:'drill',href:'/pages/" + esc(page.name()) + "/drill/'+t.drill.index+'?value='+encodeURIComponent(v)},String(v)));"
                + "else td.textContent=v===null?'':String(v);tr.append(td)});tb.append(tr)}"
                + "tables.append(h,tb);if(t.masked.length)tables.append(el('p',{class:'note'},'Masked: '+t.masked.join(', ')))}"
                + "loaded.textContent='loaded';loaded.hidden=false}).catch(e=>{loaded.textContent='error: '+e.message;loaded.hidden=false});";
        return layout(ctx, page.title(), body, script);
    }

    /** A drill-down: the profile of the rows behind a table's key value, and the rows, paged and sorted by a column. */
    static String drill(OpsServer.Context ctx, DashboardFile.Page page, DashboardFile.Query table, String value) {
        DashboardFile.Drill d = table.drill();
        String body = "<p><a href=\"/pages/" + esc(page.name()) + "\">← " + esc(page.title()) + "</a></p><h1>" + esc(d.title()) + ": "
                + esc(d.key()) + " = " + esc(value) + "</h1><div class=\"tiles\" id=\"profile\"></div>"
                + "<p><button id=\"prev\">◀ Previous</button> <span id=\"pageinfo\"></span> <button id=\"next\">Next ▶</button></p>"
                + "<table class=\"data\" id=\"drill\"></table><p class=\"note\" id=\"masked\"></p><p id=\"loaded\" hidden></p>";
        String script = "const $=id=>document.getElementById(id);const st={page:0,sort:'',dir:'asc'};"
                + "const num=v=>typeof v==='number'?v.toLocaleString('en-US',{maximumFractionDigits:4}):(v===null?'–':String(v));"
                + "function load(){const q='?value='+encodeURIComponent(" + jsString(value) + ")+'&page='+st.page+'&sort='+encodeURIComponent(st.sort)+'&dir='+st.dir;"
                + "fetch('/api/pages/" + esc(page.name()) + "/drill/" + page.tables().indexOf(table) + "'+q).then(r=>{if(!r.ok)return r.text().then(t=>{throw new Error(t)});return r.json()}).then(d=>{"
                + "st.page=d.page_no;st.sort=d.sort;st.dir=d.dir;"
                + "const pr=$('profile');pr.replaceChildren();const tile=(t,v,raw)=>{const b=el('div',{class:'tile','data-title':t});"
                + "b.append(el('div',{class:'t'},t),el('div',{class:'value','data-raw':raw===null?'':String(raw)},v));pr.append(b)};"
                + "tile('Rows',num(d.total),d.total);for(const k in d.profile)tile('Average '+k,num(d.profile[k]),d.profile[k]);"
                + "const tb=$('drill');tb.replaceChildren();const hr=el('tr');for(const c of d.columns){"
                + "const th=el('th',{'data-col':c,class:'sortable'+(c===d.sort?' sorted '+d.dir:'')},c+(c===d.sort?(d.dir==='asc'?' ▲':' ▼'):''));"
                + "th.onclick=()=>{if(st.sort===c)st.dir=st.dir==='asc'?'desc':'asc';else{st.sort=c;st.dir='asc'}st.page=0;load()};hr.append(th)}tb.append(hr);"
                + "for(const r of d.rows){const tr=el('tr');for(const v of r)tr.append(el('td',{},v===null?'':String(v)));tb.append(tr)}"
                + "$('pageinfo').textContent='Page '+(d.page_no+1)+' of '+d.pages+' ('+d.total+' rows)';"
                + "$('prev').disabled=d.page_no===0;$('next').disabled=d.page_no+1>=d.pages;"
                + "$('masked').textContent=d.masked.length?'Masked: '+d.masked.join(', '):'';"
                + "$('loaded').textContent='loaded '+d.page_no+' '+d.sort+' '+d.dir;$('loaded').hidden=false})"
                + ".catch(e=>{$('loaded').textContent='error: '+e.message;$('loaded').hidden=false})}"
                + "$('prev').onclick=()=>{st.page--;load()};$('next').onclick=()=>{st.page++;load()};load();";
        return layout(ctx, d.title() + " · " + value, body, script);
    }

    /** A JavaScript string literal that is safe inside a script element. */
    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == ' ' || c == '_' || c == '-' || c == '.') b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.append('\'').toString();
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
                + "</b> <button id=\"retry\" hidden>Retry from failure</button></p>"
                + "<h2>Nodes</h2><table id=\"nodes\"><tr><th>Node</th><th>Type</th><th>Status</th><th>Started</th><th>Seconds</th><th>Log</th></tr></table>"
                + "<h2>Output</h2><pre id=\"log\"></pre>";
        // Elements by id, not as globals: window.status is a built-in that would hide the status element.
        String script = "const $=id=>document.getElementById(id);const opened=new Set();const es=new EventSource('/api/runs/" + r.id() + "/events');"
                + "es.onmessage=e=>{$('log').textContent+=e.data+'\\n'};"
                + "es.addEventListener('nodes',e=>{const tb=$('nodes');tb.querySelectorAll('tr.node,tr.nodelog').forEach(x=>x.remove());"
                + "for(const n of JSON.parse(e.data)){const tr=el('tr',{class:'node','data-node':n.unique_id});"
                + "tr.append(el('td',{},n.name||n.unique_id),el('td',{},n.resource_type),el('td',{class:'st '+n.status},n.status+(n.reason?' ('+n.reason+')':'')),"
                + "el('td',{},n.started_at?n.started_at.substring(11,19):''),el('td',{class:'secs'},n.execution_time==null?'':n.execution_time.toFixed(2)));"
                + "const td=el('td');const b=el('button',{class:'lines'},n.lines.length+' lines');td.append(b);tr.append(td);"
                + "const lr=el('tr',{class:'nodelog','data-node':n.unique_id});const ltd=el('td',{colspan:'6'});ltd.append(el('pre',{},n.lines.join('\\n')));"
                + "lr.append(ltd);lr.hidden=!opened.has(n.unique_id);b.onclick=()=>{lr.hidden=!lr.hidden;if(lr.hidden)opened.delete(n.unique_id);else opened.add(n.unique_id)};"
                + "tb.append(tr,lr)}});"
                + "es.addEventListener('end',e=>{es.close();$('run-status').textContent=e.data;$('run-status').className=e.data;"
                + "if(e.data==='failure')$('retry').hidden=false});"
                + "$('retry').onclick=()=>act('/api/runs/" + r.id() + "/retry');";
        return layout(ctx, "Run " + r.job(), body, script);
    }

    /** The project's DAG: pick a node, launch it with what depends on it (or what it depends on); or run a job. */
    static String dag(OpsServer.Context ctx) {
        StringBuilder b = new StringBuilder("<h1>DAG</h1><p>Click a node to select it and what depends on it.</p>"
                + "<p id=\"dag-panel\">Selected: <b id=\"selected\">none</b> "
                + "<button id=\"build-down\" disabled>Build it and downstream</button> "
                + "<button id=\"build-up\" disabled>Build upstream and it</button> "
                + "<code id=\"selection-text\"></code></p><div id=\"graph\"></div><p id=\"loaded\" hidden></p>"
                + "<h2>Jobs</h2><table id=\"jobs\"><tr><th>Job</th><th>Runs</th><th></th></tr>");
        for (JobSpec j : ctx.jobs().get()) {
            String sel = j.selector() != null ? "--selector " + j.selector() : String.join(" ", j.select());
            b.append("<tr><td>").append(esc(j.name())).append("</td><td>").append(esc(j.command())).append(' ').append(esc(sel))
                    .append("</td><td><button class=\"run\" data-job=\"").append(esc(j.name())).append("\">Run now</button></td></tr>");
        }
        b.append("</table>");
        String script = "const $=id=>document.getElementById(id);const NS='http://www.w3.org/2000/svg';"
                + "const sv=(t,a)=>{const e=document.createElementNS(NS,t);for(const k in a||{})e.setAttribute(k,a[k]);return e};"
                + "const COL={model:'#2d6cdf',seed:'#18794e',snapshot:'#8e44ad'};"
                + "const STC={success:'#18794e',pass:'#18794e',error:'#c62828',fail:'#c62828',warn:'#a15c00',skipped:'#9aa5b8',running:'#2d6cdf'};"
                + "let picked=null;"
                + "fetch('/api/dag').then(r=>{if(!r.ok)return r.text().then(t=>{throw new Error(t)});return r.json()}).then(D=>{"
                + "const W=D.node_width,H=D.node_height,kids={};for(const [a,b] of D.edges)(kids[a]=kids[a]||[]).push(b);"
                + "const svg=sv('svg',{width:D.width,height:D.height,role:'img','aria-label':'Project DAG'});"
                + "const pos={};for(const n of D.nodes)pos[n.id]=n;const routes={};for(const r of D.routes)routes[r.from+' '+r.to]=r.slots;"
                + "const paths=[];for(const [f,t] of D.edges){const a=pos[f],b=pos[t];let x=a.x+W,y=a.y+H/2,d='M'+x+','+y;"
                + "const cv=(x2,y2)=>{const m=(x+x2)/2;d+=' C'+m+','+y+' '+m+','+y2+' '+x2+','+y2;x=x2;y=y2};"
                + "for(const [xl,xr,ys] of routes[f+' '+t]||[]){cv(xl,ys);d+=' L'+xr+','+ys;x=xr}cv(b.x,b.y+H/2);"
                + "const p=sv('path',{class:'edge',d,'data-from':f,'data-to':t});svg.append(p);paths.push(p)}"
                + "const groups={};for(const n of D.nodes){const g=sv('g',{class:'node','data-id':n.id,'data-name':n.name,transform:'translate('+n.x+','+n.y+')'});"
                + "const c=COL[n.type]||'#5b6475';const t=sv('title');t.textContent=n.id;g.append(t);"
                + "g.append(sv('rect',{class:'box',width:W,height:H,rx:6,fill:'#fff',stroke:c}),sv('rect',{width:6,height:H,rx:3,fill:c}));"
                + "const tx=sv('text',{x:14,y:H/2+4,'font-size':12.5});tx.textContent=n.name.length>20?n.name.slice(0,19)+'…':n.name;g.append(tx);"
                + "const st=D.status[n.id];if(st){const dot=sv('circle',{class:'status','data-status':st,cx:W-12,cy:H/2,r:5,fill:STC[st]||'#5b6475'});"
                + "const tt=sv('title');tt.textContent='last run here: '+st;dot.append(tt);g.append(dot)}"
                + "g.onclick=()=>pick(n);groups[n.id]=g;svg.append(g)}"
                + "function down(id,seen){if(seen.has(id))return seen;seen.add(id);for(const k of kids[id]||[])down(k,seen);return seen}"
                + "function pick(n){picked=n;const ds=down(n.id,new Set());"
                + "for(const id in groups){groups[id].classList.toggle('selected',id===n.id);groups[id].classList.toggle('down',ds.has(id))}"
                + "for(const p of paths)p.classList.toggle('down',ds.has(p.dataset.from)&&ds.has(p.dataset.to));"
                + "$('selected').textContent=n.name+' ('+ds.size+' node'+(ds.size===1?'':'s')+' downstream, itself included)';"
                + "$('build-down').disabled=false;$('build-up').disabled=false;$('selection-text').textContent='build -s '+n.name+'+'}"
                + "$('graph').append(svg);$('loaded').textContent='loaded';$('loaded').hidden=false})"
                + ".catch(e=>{$('loaded').textContent='error: '+e.message;$('loaded').hidden=false});"
                + "$('build-down').onclick=()=>act('/api/runs',{command:'build',select:picked.name+'+'});"
                + "$('build-up').onclick=()=>act('/api/runs',{command:'build',select:'+'+picked.name});"
                + "document.querySelectorAll('button.run').forEach(b=>b.onclick=()=>act('/api/jobs/'+encodeURIComponent(b.dataset.job)+'/run'));";
        return layout(ctx, "DAG", b.toString(), script);
    }
}
