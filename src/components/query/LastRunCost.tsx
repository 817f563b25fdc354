import React from 'react';

import { PanelData } from '@grafana/data';
import { Icon, Stack, Text } from '@grafana/ui';

import { QueryEditorSelectors } from '../../selectors';
import { lastRun } from './lastRun';

interface Props {
  data?: PanelData;
  refId: string;
}

/** "Last run: 12 Auth0 requests, 1,150 events, 3 cache hits", plus any warnings of that run. */
export function LastRunCost({ data, refId }: Props) {
  const run = lastRun(data, refId);
  if (!run) {
    return null;
  }
  return (
    <Stack direction="column" gap={0} data-testid={QueryEditorSelectors.lastRun.testId}>
      {run.summary && (
        <Text variant="bodySmall" color="secondary">
          Last run: {run.summary}
        </Text>
      )}
      {run.notices.map((n) => (
        <Text key={n.text} variant="bodySmall" color={n.severity === 'error' ? 'error' : 'warning'}>
          <Icon name="exclamation-triangle" size="sm" /> {n.text}
        </Text>
      ))}
    </Stack>
  );
}
