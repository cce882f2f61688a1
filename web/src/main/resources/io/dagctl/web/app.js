// dagctl web UI: keeps states current without a reload, follows live logs, filters the DAG list.
// Text from the server is only ever set as textContent, never as HTML.
(function () {
  'use strict';
  // Under a second between polls, so that a change shows within a second of it.
  const POLL_MS = 750;

  function setState(element, state) {
    for (const name of Array.from(element.classList)) {
      if (name.startsWith('state-')) {
        element.classList.remove(name);
      }
    }
    element.classList.add('state-' + state);
    if (element.dataset.text === 'state') {
      element.textContent = state;
    }
  }

  // The latest states the server sent, for grid cells drawn after they came.
  const latestStates = {};

  function isUnfinished(element) {
    return element.classList.contains('state-running') || element.classList.contains('state-queued');
  }

  // The runs the page shows unfinished: the server sends their task states until it has sent them ended. A grid
  // column added for a run made after the page loaded counts until the server has answered for it once, so that a
  // run that ended between two polls still gets its task states.
  function unfinishedRuns() {
    const runs = [];
    for (const element of document.querySelectorAll('[data-key]')) {
      const parts = element.dataset.key.split('/');
      if (parts.length === 2 && isUnfinished(element) && !runs.includes(parts[1])) {
        runs.push(parts[1]);
      }
    }
    for (const th of document.querySelectorAll('th[data-fresh]')) {
      if (!runs.includes(th.dataset.run)) {
        runs.push(th.dataset.run);
      }
    }
    return runs;
  }

  // A DAG's last runs as squares, oldest first: rebuilt when its runs are not the ones shown.
  function redrawRuns(cell, runIds) {
    const dagId = cell.dataset.runs;
    const shown = Array.from(cell.querySelectorAll('a.square')).map(a => a.dataset.key);
    const keys = runIds.map(runId => dagId + '/' + runId);
    if (shown.join('\n') === keys.join('\n')) {
      return;
    }
    cell.replaceChildren(...runIds.map(runId => {
      const square = document.createElement('a');
      square.className = 'square';
      square.dataset.key = dagId + '/' + runId;
      square.href = '/dags/' + encodeURIComponent(dagId) + '/runs/' + encodeURIComponent(runId);
      square.title = runId;
      return square;
    }));
  }

  function pollStates(url) {
    const started = Date.now();
    const runs = url.includes('dag_id=') ? unfinishedRuns() : [];
    const query = runs.length > 0 ? '&unfinished=' + encodeURIComponent(runs.join(',')) : '';
    fetch(url + query, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(response => response.ok ? response.json() : {})
      .then(states => {
        Object.assign(latestStates, states);
        for (const th of document.querySelectorAll('th[data-fresh]')) {
          if (runs.includes(th.dataset.run)) {
            delete th.dataset.fresh;
          }
        }
        for (const cell of document.querySelectorAll('[data-runs]')) {
          const runIds = states[cell.dataset.runs + '#runs'];
          if (Array.isArray(runIds)) {
            redrawRuns(cell, runIds);
          }
        }
        for (const table of document.querySelectorAll('table[data-grid]')) {
          const runIds = states[table.dataset.grid + '#runs'];
          if (Array.isArray(runIds) && table.dataset.states) {
            redrawGrid(table, runIds);
          }
        }
        for (const element of document.querySelectorAll('[data-key]')) {
          const value = states[element.dataset.key];
          if (value === undefined) {
            continue;
          }
          if (element.dataset.key.includes('#')) {
            element.textContent = value;
          } else {
            setState(element, value);
          }
        }
        const graph = document.getElementById('graph');
        if (graph && graph.dataset.run) {
          const prefix = graph.dataset.dag + '/' + graph.dataset.run + '/';
          for (const node of graph.querySelectorAll('rect[data-task]')) {
            const value = states[prefix + node.dataset.task];
            if (value !== undefined) {
              setState(node, value);
            }
          }
        }
      })
      .catch(() => {})
      // Polled at a fixed rate, so that a change shows within POLL_MS of it plus one answer's time.
      .finally(() => setTimeout(() => pollStates(url), Math.max(0, POLL_MS - (Date.now() - started))));
  }

  // The run ids of the grid's columns, oldest first.
  function gridRuns(table) {
    return Array.from(table.tHead.rows[0].querySelectorAll('th[data-run]')).map(th => th.dataset.run);
  }

  // Draws a grid row's cells, one per column: a row holds its states at load as digits, one per column then shown
  // (table.loadedRuns); a cell already drawn is kept, one of a run made after the page loaded takes its state from
  // the polls.
  function drawRow(table, row) {
    const labels = table.dataset.states.split(' ');
    const dag = table.dataset.dag;
    const base = '/dags/' + encodeURIComponent(dag) + '/runs/';
    const task = row.dataset.task;
    const mapped = row.dataset.mapped ? row.dataset.mapped.split(' ') : null;
    const kept = new Map(Array.from(row.cells).slice(1).map(td => [td.firstElementChild.dataset.key, td]));
    const cells = gridRuns(table).map(run => {
      const key = dag + '/' + run + '/' + task;
      if (kept.has(key)) {
        return kept.get(key);
      }
      const column = table.loadedRuns.indexOf(run);
      const state = latestStates[key] || (column >= 0 ? labels[Number(row.dataset.states.charAt(column))] : 'none');
      const cell = document.createElement('a');
      cell.className = 'cell state-' + state;
      cell.dataset.key = key;
      cell.title = task + ' in ' + run + ': ' + state;
      cell.href = base + encodeURIComponent(run) + (mapped ? '' : '/tasks/' + encodeURIComponent(task));
      if (mapped && column >= 0 && mapped[column] !== '0') {
        cell.textContent = '[' + mapped[column] + ']';
      }
      const td = document.createElement('td');
      td.appendChild(cell);
      return td;
    });
    row.replaceChildren(row.cells[0], ...cells);
    row.dataset.drawn = 'true';
  }

  // Draws the cells of the grid's rows as they come into view, so that a DAG of thousands of tasks opens at once.
  function drawGrid(table) {
    table.loadedRuns = gridRuns(table);
    const observer = new IntersectionObserver(entries => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          drawRow(table, entry.target);
        }
      }
    }, {rootMargin: '400px 0px'});
    for (const row of table.querySelectorAll('tbody tr[data-states]')) {
      observer.observe(row);
    }
  }

  // The grid's run columns, oldest first: a run made since the page loaded gets a column (its cells are drawn in
  // the rows drawn so far, and in the others as they come into view), cells kept are reused.
  function redrawGrid(table, runIds) {
    const dag = table.dataset.dag;
    const header = table.tHead.rows[0];
    if (gridRuns(table).join('\n') === runIds.join('\n')) {
      return;
    }
    const kept = new Map(Array.from(header.querySelectorAll('th[data-run]')).map(th => [th.dataset.run, th]));
    header.replaceChildren(header.cells[0], ...runIds.map(run => {
      if (kept.has(run)) {
        return kept.get(run);
      }
      const th = document.createElement('th');
      th.dataset.run = run;
      th.dataset.fresh = 'true';
      const square = document.createElement('a');
      square.className = 'square state-' + (latestStates[dag + '/' + run] || 'queued');
      square.dataset.key = dag + '/' + run;
      square.title = run;
      square.href = '/dags/' + encodeURIComponent(dag) + '/runs/' + encodeURIComponent(run);
      th.appendChild(square);
      return th;
    }));
    for (const row of table.querySelectorAll('tbody tr[data-drawn]')) {
      drawRow(table, row);
    }
  }

  function readLog(url) {
    return fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(response => response.json());
  }

  // Shows the log's tail, follows it while the try runs, and pages back on request: a long log is never sent whole.
  function followLog(pre) {
    const url = pre.dataset.logUrl;
    const earlier = document.createElement('button');
    earlier.type = 'button';
    earlier.id = 'log-earlier';
    earlier.textContent = 'Show earlier lines';
    earlier.hidden = true;
    pre.parentNode.insertBefore(earlier, pre);
    let first = 0;
    let offset = 0;
    function unreadable(chunk) {
      pre.appendChild(document.createTextNode(chunk.detail || 'the log cannot be read'));
    }
    earlier.addEventListener('click', () => {
      earlier.disabled = true;
      readLog(url + '?before=' + first).then(chunk => {
        if (chunk.content === undefined) {
          unreadable(chunk);
          return;
        }
        const height = document.body.scrollHeight;
        pre.insertBefore(document.createTextNode(chunk.content), pre.firstChild);
        window.scrollBy(0, document.body.scrollHeight - height);
        first = chunk.offset;
        earlier.hidden = first === 0;
        earlier.disabled = false;
      }).catch(() => { earlier.disabled = false; });
    });
    function show(chunk) {
      if (chunk.content.length > 0) {
        const atBottom = window.innerHeight + window.scrollY >= document.body.offsetHeight - 4;
        pre.appendChild(document.createTextNode(chunk.content));
        if (atBottom) {
          window.scrollTo(0, document.body.scrollHeight);
        }
      }
      offset = chunk.next_offset;
      if (chunk.complete) {
        pre.classList.add('complete');
      } else {
        setTimeout(next, chunk.content.length > 0 ? 0 : 500);
      }
    }
    function next() {
      readLog(url + '?offset=' + offset)
        .then(chunk => chunk.content === undefined ? unreadable(chunk) : show(chunk))
        .catch(() => setTimeout(next, POLL_MS));
    }
    function tail() {
      readLog(url + '?tail=true')
        .then(chunk => {
          if (chunk.content === undefined) {
            unreadable(chunk);
            return;
          }
          first = chunk.offset;
          earlier.hidden = first === 0;
          show(chunk);
        })
        .catch(() => setTimeout(tail, POLL_MS));
    }
    tail();
  }

  function filterDags(input) {
    input.addEventListener('input', () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(w => w.length > 0);
      for (const row of document.querySelectorAll('#dags tbody tr')) {
        const text = row.dataset.filter || '';
        row.hidden = !words.every(w => text.includes(w));
      }
    });
  }

  function graphTools(svg) {
    if (svg.dataset.run) {
      const base = '/dags/' + encodeURIComponent(svg.dataset.dag) + '/runs/' + encodeURIComponent(svg.dataset.run)
        + '/tasks/';
      svg.addEventListener('click', event => {
        const task = event.target.dataset && event.target.dataset.task;
        if (task) {
          window.location.href = base + encodeURIComponent(task);
        }
      });
    }
    const width = svg.width.baseVal.value;
    const height = svg.height.baseVal.value;
    let scale = 1;
    function zoom(by) {
      scale = Math.min(4, Math.max(0.1, scale * by));
      svg.setAttribute('width', String(width * scale));
      svg.setAttribute('height', String(height * scale));
    }
    document.getElementById('zoom-in').addEventListener('click', () => zoom(1.25));
    document.getElementById('zoom-out').addEventListener('click', () => zoom(0.8));
    const search = document.getElementById('graph-search');
    search.addEventListener('input', () => {
      const text = search.value.trim().toLowerCase();
      let first = null;
      for (const node of svg.querySelectorAll('rect[data-task]')) {
        const match = text.length > 0 && node.dataset.task.toLowerCase().includes(text);
        node.classList.toggle('match', match);
        if (match && first === null) {
          first = node;
        }
      }
      if (first !== null) {
        first.scrollIntoView({block: 'center', inline: 'center'});
      }
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    const statesUrl = document.body.dataset.statesUrl;
    if (statesUrl) {
      setTimeout(() => pollStates(statesUrl), POLL_MS);
    }
    const log = document.getElementById('log');
    if (log && log.dataset.logUrl) {
      followLog(log);
    }
    const grid = document.getElementById('grid');
    if (grid && grid.dataset.states) {
      drawGrid(grid);
    }
    const graph = document.getElementById('graph');
    if (graph && document.getElementById('graph-search')) {
      graphTools(graph);
    }
    const filter = document.getElementById('dag-filter');
    if (filter) {
      filterDags(filter);
    }
  });
})();
