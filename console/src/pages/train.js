import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi, ensureBucket, rekognition } from '../api.js';
import { loadProject, loadVersions } from '../lib/projects.js';
import { useLoad, usePoll } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { CONSOLE_BUCKET } from '../lib/entries.js';
import { ErrorText } from '../components/error-text.js';
import { StatusBadge } from '../components/status-badge.js';
import { AdvancedOptions, trainingOptions } from '../components/advanced-options.js';
import { TrainingJob } from '../components/training-job.js';

const two = (n) => String(n).padStart(2, '0');
function versionNameNow() {
  const d = new Date();
  return `v-${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

export function TrainPage({ project }) {
  const { data: info, error: loadError } = useLoad(() => loadProject(project), [project]);
  const [options, setOptions] = useState({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [watched, setWatched] = useState(null); // the version started here
  const [jobs, setJobs] = useState([]);
  const [versions, setVersions] = useState([]);
  const [pollError, setPollError] = useState(null);

  usePoll(async () => {
    try {
      const [t, v] = await Promise.all([consoleApi('GET', '/console/api/training'), loadVersions(info.arn)]);
      setJobs(t.jobs || []);
      setVersions(v);
      setPollError(null);
    } catch (e) {
      setPollError(e);
    }
  }, 2000, [info?.arn, watched?.arn], !!info);

  const train = async () => {
    setBusy(true);
    setError(null);
    try {
      await ensureBucket(CONSOLE_BUCKET);
      const body = {
        ProjectArn: info.arn,
        VersionName: versionNameNow(),
        OutputConfig: { S3Bucket: CONSOLE_BUCKET, S3KeyPrefix: `${project}/evaluation/` },
      };
      const opts = trainingOptions(options);
      if (Object.keys(opts).length) body.TrainingOptions = opts;
      const r = await rekognition('CreateProjectVersion', body);
      setWatched({ arn: r.ProjectVersionArn, name: body.VersionName });
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const mine = jobs.filter((j) => j.project === project);
  const watchedVersion = watched && versions.find((v) => v.ProjectVersionArn === watched.arn);
  const watchedDone = watchedVersion && watchedVersion.Status !== 'TRAINING_IN_PROGRESS';

  return html`
    <div class="page" data-testid="train-page">
      <div class="page-head">
        <p class="crumbs"><a href="#/projects">Projects</a> / <a href=${href('projects', project)}>${project}</a> /</p>
        <h1>Train a model</h1>
      </div>
      <${ErrorText} error=${loadError} />
      ${info && html`
        <section class="card">
          <p>Apiary picks the input size, the number of epochs and the augmentation from your dataset. Training uses the training set and is judged on the test set.</p>
          <button type="button" class="primary big" disabled=${busy} data-testid="train-submit" onClick=${train}>${busy ? 'Starting…' : 'Train model'}</button>
          <${ErrorText} error=${error} testid="train-error" />
          <${AdvancedOptions} values=${options} onChange=${setOptions} />
        </section>
        ${watched && html`
          <section class="card" data-testid="training-watch">
            <h2>${watched.name}</h2>
            ${watchedDone ? html`
              <div data-testid="training-result" data-status=${watchedVersion.Status}>
                <p>Finished: <${StatusBadge} status=${watchedVersion.Status} testid="training-final-status" /></p>
                ${watchedVersion.StatusMessage && html`<p class="muted" data-testid="training-status-message">${watchedVersion.StatusMessage}</p>`}
                <a class="button primary" href=${href('projects', project, 'models', watched.name)} data-testid="model-link">Open the model</a>
              </div>`
            : html`<p class="muted" data-testid="training-waiting">Training… this page follows it live.</p>`}
          </section>`}
        <section class="card" data-testid="training-queue">
          <h2>Training jobs</h2>
          <${ErrorText} error=${pollError} />
          ${jobs.length ? jobs.map((j) => html`<${TrainingJob} key=${j.projectVersionArn} job=${j} />`)
            : html`<p class="muted" data-testid="no-jobs">No training is running or queued.</p>`}
          ${jobs.length > mine.length && html`<p class="muted">${jobs.length - mine.length} job(s) of other projects are in the queue too.</p>`}
        </section>
        <section class="card">
          <h2>Models of ${project}</h2>
          ${versions.length ? html`<ul class="plain">${versions.map((v) => html`
              <li key=${v.ProjectVersionArn}><a href=${href('projects', project, 'models', v.name)}>${v.name}</a> <${StatusBadge} status=${v.Status} /></li>`)}</ul>`
            : html`<p class="muted">None yet.</p>`}
        </section>`}
    </div>`;
}
