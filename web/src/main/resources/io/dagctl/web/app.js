// dagctl web UI: keeps states current without a reload, follows live logs, filters the DAG list.
// Text from the server is only ever set as textContent, never as HTML.
(function () {
  'use strict';
  const POLL_MS = 1000;

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

  // The runs the page shows unfinished: the server sends their task states until it has sent them ended.
  function unfinishedRuns() {
    const runs = [];
    for (const element of document.querySelectorAll('[data-key]')) {
      const parts = element.dataset.key.split('/');
      if (parts.length === 2 && isUnfinished(element) && !runs.includes(parts[1])) {
        runs.push(parts[1]);
      }
    }
    return runs;
  }

  function pollStates(url) {
    const runs = url.includes('dag_id=') ? unfinishedRuns() : [];
    const query = runs.length > 0 ? '&unfinished=' + encodeURIComponent(runs.join(',')) : '';
    fetch(url + query, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(response => response.ok ? response.json() : {})
      .then(states => {
        Object.assign(latestStates, states);
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
        const grid = document.getElementById('grid');
    if (grid && grid.dataset.states) {
      drawGrid(grid);
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
      .finally(() => setTimeout(() => pollStates(url), POLL_MS));
  }

  // Draws the cells of the grid's rows as they come into view: a row holds its states as digits.
  function drawGrid(table) {
    const labels = table.dataset.states.split(' ');
    const dag = table.dataset.dag;
    const runs = Array.from(table.querySelectorAll('thead th[data-run]')).map(th => th.dataset.run);
    const base = '/dags/' + encodeURIComponent(dag) + '/runs/';
    function draw(row) {
      const task = row.dataset.task;
      const mapped = row.dataset.mapped ? row.dataset.mapped.split(' ') : null;
      const cells = document.createDocumentFragment();
      runs.forEach((run, column) => {
        const key = dag + '/' + run + '/' + task;
        const state = latestStates[key] || labels[Number(row.dataset.states.charAt(column))];
        const cell = document.createElement('a');
        cell.className = 'cell state-' + state;
        cell.dataset.key = key;
        cell.title = task + ' in ' + run + ': ' + state;
        cell.href = base + encodeURIComponent(run) + (mapped ? '' : '/tasks/' + encodeURIComponent(task));
        if (mapped && mapped[column] !== '0') {
          cell.textContent = '[' + mapped[column] + ']';
        }
        const td = document.createElement('td');
        td.appendChild(cell);
        cells.appendChild(td);
      });
      row.appendChild(cells);
    }
    const observer = new IntersectionObserver(entries => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      }
    }, {rootMargin: '400px 0px'});
    for (const row of table.querySelectorAll('tbody tr[data-states]')) {
      observer.observe(row);
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
