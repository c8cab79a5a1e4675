namespace BackupWorkflows.Testing;
