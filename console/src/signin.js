import { render } from 'preact';
import { html } from 'htm/preact';
import { SignInForm } from './components/signin-form.js';

document.body.style.margin = '0';
render(html`<${SignInForm} />`, document.getElementById('root'));
