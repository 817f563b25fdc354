import { css } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';

import { ConfigEditorSelectors } from '../../selectors';

const s = ConfigEditorSelectors.setup;

/** How to create the Auth0 application whose credentials the form asks for. */
export function SetupHelp() {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.box} data-testid={s.testId}>
      <Text element="h4">{s.title}</Text>
      <ol className={styles.list}>
        {s.steps.map((step) => (
          <li key={step}>
            <Text variant="bodySmall">{step}</Text>
          </li>
        ))}
      </ol>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    padding: theme.spacing(2),
    marginBottom: theme.spacing(3),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  list: css({ paddingLeft: theme.spacing(2.5), marginBottom: 0, li: { marginBottom: theme.spacing(0.5) } }),
});
