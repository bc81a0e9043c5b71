/** The {@code csv} data source: scanning, parsing and splitting CSV tables as users have them. */
package io.pretext.tabular.csv;
