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

  function pollStates(url) {
    fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(response => response.ok ? response.json() : {})
      .then(states => {
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
      .finally(() => setTimeout(() => pollStates(url), POLL_MS));
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
