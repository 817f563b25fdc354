import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { Auth0Options, Auth0Query, Auth0SecureJsonData } from './types';

/*
 * The variable editor and annotation support are wired on the DataSource itself
 * (datasource.variables, datasource.annotations), the current way to add them.
 */
export const plugin = new DataSourcePlugin<DataSource, Auth0Query, Auth0Options, Auth0SecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
