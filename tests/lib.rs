mod hosts;
