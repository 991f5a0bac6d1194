"""screener"""
