// The project's labels in a stable order (number keys 1..9 pick them): the labels its
// datasets use, plus the ones added in this browser that no box uses yet.
import { useEffect, useState } from 'preact/hooks';
import { rekognitionAll } from '../api.js';

const key = (projectArn) => `apiary.labels.${projectArn}`;

function stored(projectArn) {
  try {
    const v = JSON.parse(localStorage.getItem(key(projectArn)) || '{}');
    return { order: Array.isArray(v.order) ? v.order.map(String) : [], added: Array.isArray(v.added) ? v.added.map(String) : [] };
  } catch (_) {
    return { order: [], added: [] };
  }
}

function remember(projectArn, order, added) {
  try {
    localStorage.setItem(key(projectArn), JSON.stringify({ order, added }));
  } catch (_) { /* private mode: the order lasts for this page only */ }
}

/** Merges the datasets' labels into the remembered order. */
export function mergeLabels(serverLabels, memory) {
  const present = new Set([...serverLabels, ...memory.added]);
  const order = memory.order.filter((l) => present.has(l));
  for (const l of [...serverLabels].sort()) if (!order.includes(l)) order.push(l);
  for (const l of memory.added) if (!order.includes(l)) order.push(l);
  return order;
}

/** {labels, add(name), rename(from, to), remove(label), reload()} for a project {arn, datasets}. */
export function useProjectLabels(project, tick) {
  const [labels, setLabels] = useState([]);
  const [error, setError] = useState(null);
  const [n, setN] = useState(0);
  const arn = project?.arn;
  useEffect(() => {
    if (!project) return;
    let live = true;
    (async () => {
      try {
        const names = new Set();
        for (const ds of Object.values(project.datasets || {})) {
          const list = await rekognitionAll('ListDatasetLabels', { DatasetArn: ds }, 'DatasetLabelDescriptions');
          for (const l of list) names.add(l.LabelName);
        }
        if (!live) return;
        const memory = stored(arn);
        const order = mergeLabels([...names], memory);
        remember(arn, order, memory.added.filter((l) => !names.has(l)));
        setLabels(order);
        setError(null);
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => { live = false; };
  }, [arn, JSON.stringify(project?.datasets || {}), tick, n]);

  const update = (order, added) => {
    remember(arn, order, added);
    setLabels(order);
  };
  return {
    labels,
    error,
    reload: () => setN((x) => x + 1),
    add(name) {
      const l = String(name).trim();
      if (!l || labels.includes(l)) return;
      const m = stored(arn);
      update([...labels, l], [...m.added, l]);
    },
    renamed(from, to) {
      const m = stored(arn);
      const order = labels.includes(to) ? labels.filter((l) => l !== from) : labels.map((l) => (l === from ? to : l));
      update(order, m.added.map((l) => (l === from ? to : l)));
    },
    removed(label) {
      const m = stored(arn);
      update(labels.filter((l) => l !== label), m.added.filter((l) => l !== label));
    },
  };
}
