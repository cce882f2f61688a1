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

  // The grid's run columns, oldest first: a run made since the page loaded gets a column, cells kept are reused.
  function redrawGrid(table, runIds) {
    const dagId = table.dataset.grid;
    const header = table.tHead.rows[0];
    const shown = Array.from(header.cells).slice(1).map(th => th.firstElementChild.dataset.key);
    if (shown.join('\n') === runIds.map(runId => dagId + '/' + runId).join('\n')) {
      return;
    }
    const runPath = runId => '/dags/' + encodeURIComponent(dagId) + '/runs/' + encodeURIComponent(runId);
    function link(className, key, href, title) {
      const a = document.createElement('a');
      a.className = className;
      a.dataset.key = key;
      a.href = href;
      a.title = title;
      return a;
    }
    function redrawRow(row, cellTag, keyOf, make) {
      const first = row.cells[0];
      const kept = new Map(Array.from(row.cells).slice(1).map(cell => [cell.firstElementChild.dataset.key, cell]));
      row.replaceChildren(first, ...runIds.map(runId => {
        const cell = kept.get(keyOf(runId)) || document.createElement(cellTag);
        if (cell.childElementCount === 0) {
          cell.appendChild(make(runId));
        }
        return cell;
      }));
    }
    redrawRow(header, 'th', runId => dagId + '/' + runId,
      runId => link('square', dagId + '/' + runId, runPath(runId), runId));
    for (const row of table.tBodies[0].rows) {
      const task = row.dataset.task;
      redrawRow(row, 'td', runId => dagId + '/' + runId + '/' + task,
        runId => link('cell', dagId + '/' + runId + '/' + task,
          runPath(runId) + '/tasks/' + encodeURIComponent(task), task + ' in ' + runId));
    }
  }

  function pollStates(url) {
    const started = Date.now();
    fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(response => response.ok ? response.json() : {})
      .then(states => {
        for (const cell of document.querySelectorAll('[data-runs]')) {
          const runIds = states[cell.dataset.runs + '#runs'];
          if (Array.isArray(runIds)) {
            redrawRuns(cell, runIds);
          }
        }
        for (const table of document.querySelectorAll('table[data-grid]')) {
          const runIds = states[table.dataset.grid + '#runs'];
          if (Array.isArray(runIds)) {
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
      })
      .catch(() => {})
      // Polled at a fixed rate, so that a change shows within POLL_MS of it plus one answer's time.
      .finally(() => setTimeout(() => pollStates(url), Math.max(0, POLL_MS - (Date.now() - started))));
  }

  function followLog(pre) {
    let offset = 0;
    const url = pre.dataset.logUrl;
    function next() {
      fetch(url + '?offset=' + offset, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
        .then(response => response.json())
        .then(chunk => {
          if (chunk.content === undefined) {
            pre.appendChild(document.createTextNode(chunk.detail || 'the log cannot be read'));
            return;
          }
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
        })
        .catch(() => setTimeout(next, POLL_MS));
    }
    next();
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
