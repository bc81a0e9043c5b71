/** What a backend hands the runtime once opened: sessions, compiled training and inference programs. */
package io.pretext.api.backend;
