// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

import { configure } from '@testing-library/react';

// Tests wait for conditions, not for times: these bounds only stop a broken component from
// hanging the suite, so they are generous enough for a loaded machine (CI shares two cores).
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(45_000);
