import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { useRoute } from './lib/router.js';
import { AppHeader } from './components/app-header.js';
import { IdleWarning } from './components/idle-warning.js';
import { ProjectsPage } from './pages/projects.js';
import { ProjectPage } from './pages/project.js';
import { DatasetPage } from './pages/dataset.js';
import { TrainPage } from './pages/train.js';
import { ModelPage } from './pages/model.js';
import { PipelinesPage } from './pages/pipelines.js';
import { ComparePage } from './pages/compare.js';
import { ReviewsPage } from './pages/reviews.js';

function Page({ route }) {
  const [section, name, sub, arg, arg2] = route;
  if (section === 'pipelines') return html`<${PipelinesPage} />`;
  if (section === 'reviews') return html`<${ReviewsPage} pipeline=${name || ''} />`;
  if (section === 'projects' && name) {
    if (sub === 'dataset') return html`<${DatasetPage} key=${`${name}/${arg}`} project=${name} type=${arg === 'test' ? 'test' : 'train'} />`;
    if (sub === 'train') return html`<${TrainPage} key=${name} project=${name} />`;
    if (sub === 'compare' && arg && arg2) return html`<${ComparePage} key=${`${name}/${arg}/${arg2}`} project=${name} v1=${arg} v2=${arg2} />`;
    if (sub === 'models' && arg) return html`<${ModelPage} key=${`${name}/${arg}`} project=${name} version=${arg} />`;
    return html`<${ProjectPage} key=${name} project=${name} />`;
  }
  return html`<${ProjectsPage} />`;
}

function App() {
  const route = useRoute();
  const [keyId, setKeyId] = useState('');
  useEffect(() => {
    session().then((s) => setKeyId(s.accessKeyId || '')).catch(() => {});
  }, []);
  useEffect(() => {
    const [section, name, sub, arg] = route;
    document.title = ['Apiary', section === 'pipelines' ? 'Pipelines' : section === 'reviews' ? 'Reviews' : name, sub && `${sub}${arg ? ' ' + arg : ''}`]
      .filter(Boolean).join(' · ');
  }, [route.join('/')]);
  return html`
    <${AppHeader} route=${route} keyId=${keyId} />
    <${IdleWarning} />
    <main class="content"><${Page} route=${route} /></main>`;
}

render(html`<${App} />`, document.getElementById('root'));
