import { extensionApi } from '../browser.js';
import { startRecordApp } from './record-app.js';

void startRecordApp(extensionApi, document.getElementById('app') ?? document.body, 'page');
