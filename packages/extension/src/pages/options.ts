import { extensionApi } from '../browser.js';
import { startOptionsPage } from './options-page.js';

void startOptionsPage(extensionApi, document.getElementById('app') ?? document.body);
