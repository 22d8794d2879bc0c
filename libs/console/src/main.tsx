// Entry of the web console: mounts the app into index.html's #app.
import { render } from 'preact';
import './styles.css';
import { App } from './ui/app';

const root = document.getElementById('app');
if (root) render(<App />, root);
